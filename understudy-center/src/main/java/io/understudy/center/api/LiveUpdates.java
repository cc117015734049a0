package io.understudy.center.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import io.understudy.center.auth.Caller;
import io.understudy.center.auth.Sessions;
import io.understudy.center.events.EventLog;
import io.understudy.center.store.EventRecord;
import io.understudy.core.json.Json;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients of the event stream ({@code GET /api/v1/stream}) and what they are sent, in
 * Server-Sent Events:
 *
 * <ul>
 *   <li>{@code event} with an {@code EventView} (and its id), for every event recorded;
 *   <li>{@code status} when what {@code GET /api/v1/status}, {@code /configurations}, {@code
 *       /agents} or {@code /databases} would show has changed (checked every {@link
 *       #STATUS_EVERY} while a client listens), and once when a client connects: refetch them;
 *   <li>{@code session-ended} before the stream closes because its session ended (logout, user
 *       removed, expiry);
 *   <li>a comment every {@link #HEARTBEAT}, so that idle connections stay open.
 * </ul>
 *
 * One thread sends everything, so a slow client never holds up a request. Thread-safe.
 */
final class LiveUpdates implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveUpdates.class);

    static final Duration STATUS_EVERY = Duration.ofSeconds(1);
    static final Duration HEARTBEAT = Duration.ofSeconds(10);

    /** How many missed events a client that reconnects with Last-Event-ID gets at most. */
    private static final int REPLAY_MAX = 200;

    private static final ObjectMapper JSON = Json.mapper();

    private record Client(SseClient sse, String sessionTokenHash) {}

    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final EventLog events;
    private final Sessions sessions;
    private final Supplier<Object> state;
    private final ScheduledExecutorService sender;
    private @Nullable String lastState;
    private boolean stateFailing;

    /**
     * @param state what the dashboard shows, as any value Jackson can write; a change of its JSON
     *     is sent as {@code status}
     */
    LiveUpdates(EventLog events, Sessions sessions, Supplier<Object> state) {
        this.events = events;
        this.sessions = sessions;
        this.state = state;
        this.sender = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "live-updates");
            thread.setDaemon(true);
            return thread;
        });
        events.subscribe(this::eventRecorded);
        sender.scheduleWithFixedDelay(
                this::checkState, STATUS_EVERY.toMillis(), STATUS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        sender.scheduleWithFixedDelay(
                this::heartbeat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Keeps {@code sse} open for {@code caller}: sends {@code status} at once, then, when the client
     * reconnects after event {@code lastEventId}, the events it missed.
     */
    void add(SseClient sse, Caller caller, OptionalLong lastEventId) {
        Client client = new Client(sse, caller.sessionTokenHash());
        sse.keepAlive();
        sse.onClose(() -> clients.remove(client));
        submit(() -> {
            send(client, "status", "{}", null);
            if (lastEventId.isPresent()) {
                events.newest(REPLAY_MAX).stream()
                        .filter(e -> e.id() > lastEventId.getAsLong())
                        .sorted(Comparator.comparingLong(EventRecord::id))
                        .forEach(e -> send(client, "event", json(EventRoutes.view(e)), Long.toString(e.id())));
            }
            if (!client.sse().terminated()) {
                clients.add(client);
            }
        });
    }

    /** Closes the streams of the session whose token hashes to {@code tokenHash}, e.g. at its logout. */
    void sessionEnded(String tokenHash) {
        submit(() -> clients.stream()
                .filter(c -> c.sessionTokenHash().equals(tokenHash))
                .toList()
                .forEach(this::endSession));
    }

    /** How many clients listen now. */
    int clientCount() {
        return clients.size();
    }

    private void eventRecorded(EventRecord event) {
        if (clients.isEmpty()) {
            return;
        }
        String data = json(EventRoutes.view(event));
        String id = Long.toString(event.id());
        submit(() -> clients.forEach(c -> send(c, "event", data, id)));
    }

    private void checkState() {
        if (clients.isEmpty()) {
            lastState = null; // the next client gets a fresh "status" anyway
            return;
        }
        String now;
        try {
            now = json(state.get());
            if (stateFailing) {
                log.info("the event stream reads the status again");
                stateFailing = false;
            }
        } catch (RuntimeException e) {
            if (!stateFailing) {
                log.warn("the event stream cannot read the status: {}", e.toString());
                stateFailing = true;
            }
            return;
        }
        if (lastState != null && !now.equals(lastState)) {
            clients.forEach(c -> send(c, "status", "{}", null));
        }
        lastState = now;
    }

    /** A comment to each client, and the end of the streams whose session has ended. */
    private void heartbeat() {
        for (Client client : clients) {
            if (!isLive(client)) {
                endSession(client);
            } else {
                client.sse().sendComment("keep-alive");
                dropIfClosed(client);
            }
        }
    }

    private boolean isLive(Client client) {
        try {
            return sessions.isLive(client.sessionTokenHash());
        } catch (RuntimeException e) {
            return true; // the store is busy: ask again at the next heartbeat
        }
    }

    private void endSession(Client client) {
        send(client, "session-ended", "{}", null);
        clients.remove(client);
        client.sse().close();
    }

    private void send(Client client, String event, String data, @Nullable String id) {
        if (id == null) {
            client.sse().sendEvent(event, data);
        } else {
            client.sse().sendEvent(event, data, id);
        }
        dropIfClosed(client);
    }

    private void dropIfClosed(Client client) {
        if (client.sse().terminated()) {
            clients.remove(client);
        }
    }

    private void submit(Runnable task) {
        try {
            sender.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("sending to the event stream failed: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            // closed: nothing listens any more
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Closes every stream and stops sending. Idempotent. */
    @Override
    public void close() {
        sender.shutdownNow();
        List.copyOf(clients).forEach(c -> c.sse().close());
        clients.clear();
        try {
            if (!sender.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("the event stream's sender did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
