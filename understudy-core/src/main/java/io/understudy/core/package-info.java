/**
 * The root of Understudy's shared vocabulary: the unchecked exception hierarchy.
 *
 * <p>Key types: {@link io.understudy.core.UnderstudyException}. Depends on nothing but the JDK.
 */
@NullMarked
package io.understudy.core;

import org.jspecify.annotations.NullMarked;
