/**
 * WAL shipping on the agent's side (DESIGN.md: WAL_SHIPPING): the file-transfer channel between
 * the agents of a Configuration, authenticated with the Configuration's transfer secret. On the
 * primary's host, the archive command hands each WAL file to its agent, which sends it to the
 * standby's agent and answers only once that agent stored it durably; on the standby's host, the
 * agent stores what it receives in the standby's WAL archive, where the waiting restore command
 * reads it. Also the two primitives a switchover or failover needs: end a standby's recovery
 * (smart or fast), and ship the partial last segment of a primary that stopped.
 *
 * <p>Key types: {@link io.understudy.agent.shipping.WalShippingChannel} (the endpoints and the
 * sender), {@link io.understudy.agent.shipping.ShippingGoals} (which goal a request is for).
 * Depends on the engine API and core only.
 */
@NullMarked
package io.understudy.agent.shipping;

import org.jspecify.annotations.NullMarked;
