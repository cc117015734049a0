/**
 * Words for one managed Database: its {@link io.understudy.core.database.Role}, its position in
 * the WAL ({@link io.understudy.core.database.Lsn}) and how it is named across the system
 * ({@link io.understudy.core.database.DatabaseId}).
 *
 * <p>Pure values: no I/O, no clock.
 */
@NullMarked
package io.understudy.core.database;

import org.jspecify.annotations.NullMarked;
