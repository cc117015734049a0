package io.understudy.center;

import static io.understudy.center.ApiClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.core.api.ConfigurationRequest;
import io.understudy.core.api.ConfigurationStatus;
import io.understudy.core.api.EventView;
import io.understudy.core.api.LoginReply;
import io.understudy.core.api.LoginRequest;
import io.understudy.core.api.StandbyTarget;
import io.understudy.core.configuration.ObserverAction;
import io.understudy.core.configuration.ObserverSettings;
import io.understudy.core.protocol.Secret;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The observer's settings of a configuration (issue 5, item 1), over real HTTP. */
class ObserverApiIT {
    private static final String PATH = "/api/v1/configurations/sales/observer";

    @TempDir
    static Path root;

    private static RunningCenter center;
    private static ApiClient client;
    private static String admin;

    @BeforeAll
    static void start() {
        center = RunningCenter.start(root);
        client = center.client;
        admin = center.login();
        create("sales");
        create("fresh");
    }

    private static void create(String name) {
        FakeAgent primary = FakeAgent.enrol(center, name + "-p").primary("/pg/16/main", 5432, "0/5000000");
        FakeAgent standby = FakeAgent.enrol(center, name + "-s");
        primary.report();
        standby.report();
        ApiClient.Reply created = client.post(
                "/api/v1/configurations",
                new ConfigurationRequest(
                        name,
                        name + "-p:5432",
                        new StandbyTarget(name + "-s", "/pg/16/standby", 5433),
                        "wal-streaming",
                        "hot"),
                bearer(admin));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        center.close();
    }

    private static ObserverSettings current() {
        return client.get(PATH, bearer(admin)).as(ObserverSettings.class);
    }

    @Test
    void aNewConfigurationsObserverIsOffWithTheDefaultsAndItsStatusSaysSo() {
        assertThat(client.get("/api/v1/configurations/nothing/observer", bearer(admin))
                        .status())
                .isEqualTo(404);
        ObserverSettings settings = client.get("/api/v1/configurations/fresh/observer", bearer(admin))
                .as(ObserverSettings.class);
        assertThat(settings).isEqualTo(ObserverSettings.DEFAULTS);
        assertThat(settings.intervalMillis()).isEqualTo(500);
        assertThat(settings.checks()).isEqualTo(3);
        assertThat(settings.maxLagBytes()).isEqualTo(16_777_216);
        assertThat(client.get("/api/v1/status/fresh", bearer(admin))
                        .as(ConfigurationStatus.class)
                        .observer())
                .isEqualTo(settings);
    }

    @Test
    void anAdminTurnsOnAutomaticFailoverWhichIsAnEventAndShowsInTheStatus() {
        ObserverSettings wanted = new ObserverSettings(true, ObserverAction.FAILOVER, 250, 4, 1_048_576, false);

        ApiClient.Reply reply = client.put(PATH, wanted, bearer(admin));

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.as(ObserverSettings.class)).isEqualTo(wanted);
        assertThat(current()).isEqualTo(wanted);
        assertThat(client.get("/api/v1/status/sales", bearer(admin))
                        .as(ConfigurationStatus.class)
                        .observer())
                .isEqualTo(wanted);
        List<EventView> events = client.get(
                        "/api/v1/events?configuration=sales&kind=OBSERVER_SETTINGS_CHANGED", bearer(admin))
                .listOf(EventView.class);
        assertThat(events).first().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("admin");
            assertThat(e.message()).contains("enabled false → true").contains("automatic failover is now on");
        });

        int count = events.size();
        assertThat(client.put(PATH, wanted, bearer(admin)).status()).isEqualTo(200);
        assertThat(client.get("/api/v1/events?configuration=sales&kind=OBSERVER_SETTINGS_CHANGED", bearer(admin))
                        .listOf(EventView.class))
                .as("setting what is set already is no event")
                .hasSize(count);
    }

    @Test
    void badSettingsAreRefusedNamingTheFieldAndChangeNothing() {
        ObserverSettings before = current();
        String[][] cases = {
            {
                "{\"enabled\":true,\"action\":\"NOTIFY\",\"intervalMillis\":99,\"checks\":3,\"maxLagBytes\":0,\"autoReinstate\":false}",
                "intervalMillis"
            },
            {
                "{\"enabled\":true,\"action\":\"NOTIFY\",\"intervalMillis\":500,\"checks\":0,\"maxLagBytes\":0,\"autoReinstate\":false}",
                "checks"
            },
            {
                "{\"enabled\":true,\"action\":\"NOTIFY\",\"intervalMillis\":500,\"checks\":3,\"maxLagBytes\":-1,\"autoReinstate\":false}",
                "maxLagBytes"
            },
            {
                "{\"enabled\":true,\"action\":\"PANIC\",\"intervalMillis\":500,\"checks\":3,\"maxLagBytes\":0,\"autoReinstate\":false}",
                "action"
            },
            {
                "{\"enabled\":true,\"action\":\"NOTIFY\",\"intervalMillis\":500,\"checks\":3,\"maxLagBytes\":0}",
                "autoReinstate"
            },
        };
        for (String[] c : cases) {
            ApiClient.Reply reply = client.put(PATH, c[0], bearer(admin));
            assertThat(reply.status()).as(c[0]).isEqualTo(400);
            assertThat(reply.json().path("code").asText()).isEqualTo("invalid_input");
            assertThat(reply.json().path("details").path("field").asText())
                    .as(c[0])
                    .isEqualTo(c[1]);
        }
        assertThat(current()).isEqualTo(before);
    }

    @Test
    void aViewerSeesTheSettingsButMayNotChangeThem() {
        client.post(
                "/api/v1/users",
                "{\"name\":\"watcher\",\"password\":\"watcher-password\",\"role\":\"viewer\"}",
                bearer(admin));
        String viewer = client.post("/api/v1/login", new LoginRequest("watcher", Secret.of("watcher-password")))
                .as(LoginReply.class)
                .token()
                .reveal();
        ObserverSettings before = current();

        assertThat(client.get(PATH, bearer(viewer)).as(ObserverSettings.class)).isEqualTo(before);
        ApiClient.Reply refused = client.put(PATH, ObserverSettings.DEFAULTS, bearer(viewer));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().path("code").asText()).isEqualTo("forbidden");
        assertThat(current()).isEqualTo(before);
    }
}
