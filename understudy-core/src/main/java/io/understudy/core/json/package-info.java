/**
 * The one JSON configuration of Understudy, so the agent, the Control Center and the CLI agree
 * on the wire format. Key type: {@link io.understudy.core.json.Json}.
 */
@NullMarked
package io.understudy.core.json;

import org.jspecify.annotations.NullMarked;
