package io.understudy.core.api;

/**
 * Body of {@code POST /api/v1/configurations}. Method and mode are text so that a wrong one gets
 * an error naming the field and the allowed values.
 *
 * @param name the Configuration's name: letters, digits, {@code _} and {@code -}
 * @param primary the primary database's id, {@code AGENT:PORT}
 * @param standby where the standby goes
 * @param method {@code WAL_STREAMING} (or {@code wal-streaming})
 * @param mode {@code HOT} or {@code WARM}
 */
public record ConfigurationRequest(String name, String primary, StandbyTarget standby, String method, String mode) {}
