/**
 * Words for a Configuration: how its standby is fed ({@link
 * io.understudy.core.configuration.ReplicationMethod}), whether it takes queries ({@link
 * io.understudy.core.configuration.StandbyMode}) and how the observer watches its primary ({@link
 * io.understudy.core.configuration.ObserverSettings}). Values only.
 */
@NullMarked
package io.understudy.core.configuration;

import org.jspecify.annotations.NullMarked;
