/**
 * Words for a Configuration: how its standby is fed ({@link
 * io.understudy.core.configuration.ReplicationMethod}) and whether it takes queries ({@link
 * io.understudy.core.configuration.StandbyMode}). Values only.
 */
@NullMarked
package io.understudy.core.configuration;

import org.jspecify.annotations.NullMarked;
