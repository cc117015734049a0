/**
 * The records an Agent and the Control Center exchange: enrolment, reports and their replies.
 * Versioned by {@link io.understudy.core.protocol.EnrolmentRequest#PROTOCOL_VERSION}.
 *
 * <p>Key types: {@link io.understudy.core.protocol.AgentReport}, {@link
 * io.understudy.core.protocol.DatabaseObservation}, {@link io.understudy.core.protocol.Secret}.
 * Values only; no I/O.
 */
@NullMarked
package io.understudy.core.protocol;

import org.jspecify.annotations.NullMarked;
