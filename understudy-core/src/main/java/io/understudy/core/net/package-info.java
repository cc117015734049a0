/** Network addresses as users write them. Key type: {@link io.understudy.core.net.HostPort}. */
@NullMarked
package io.understudy.core.net;

import org.jspecify.annotations.NullMarked;
