/**
 * The agent: the daemon on each database host. It observes the local databases through the
 * {@link io.understudy.engine.DatabaseEngine} SPI, reports to the Control Center every tick,
 * reaches the goal states the Control Center sends back, and serves its own small endpoint for
 * peers.
 *
 * <p>Key types: {@link io.understudy.agent.Agent} (wiring), {@link io.understudy.agent.AgentLoop}
 * (the tick), {@link io.understudy.agent.NodeFsm} (the table of transitions) and its {@link
 * io.understudy.agent.Steps}, {@link io.understudy.agent.LongAction} (one long step at a time)
 * and its {@link io.understudy.agent.Backoff} (TRANSIENT failures retried in place), {@link
 * io.understudy.agent.Probes} and {@link io.understudy.agent.Inspections} (databases and standby
 * targets observed under one deadline),
 * {@link io.understudy.agent.StateFile} (the states reached, on disk), {@link
 * io.understudy.agent.CenterClient} (the Control Center's API), {@link
 * io.understudy.agent.AgentCommand} (the command line). Depends on the engine API only, never on
 * an engine module (those are found at run time with ServiceLoader), and never on the Control
 * Center's code.
 */
@NullMarked
package io.understudy.agent;

import org.jspecify.annotations.NullMarked;
