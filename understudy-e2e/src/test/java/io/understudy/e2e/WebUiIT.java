package io.understudy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.testkit.FreePorts;
import io.understudy.testkit.PgCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;

/**
 * The Control Center in a real browser (Debian's chromium, headless), against a real Control
 * Center, real agents and real PostgreSQL: an admin logs in, sets up a streaming hot standby with
 * the wizard, switches over, reads the dashboard and a dialog in Japanese; a viewer finds nothing
 * to click; a logged-out session is refused. One site for the whole story, in order.
 *
 * <p>With {@code -Dunderstudy.screenshot=PATH} the dashboard's screenshot is also written to PATH
 * (the README's {@code docs/dashboard.png}); it is always written to {@code target/dashboard.png}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiIT {
    private static final Duration CREATION = Duration.ofSeconds(180);
    private static final Duration SWITCHOVER = Duration.ofSeconds(120);
    private static final String CARD = ".config-card[data-configuration='sales']";

    static TestSite site;
    static Browser browser;
    static String primaryId;
    static int standbyPort;
    static Path standbyDirectory;

    @RegisterExtension
    static final DiagnosticsOnFailure diagnostics =
            new DiagnosticsOnFailure(() -> (browser == null ? "" : browser.diagnostics() + "\n") + site.diagnostics());

    @BeforeAll
    static void startSite() {
        site = TestSite.start();
        PgCluster primary = site.newCluster("web-primary");
        primary.execute("CREATE TABLE orders (id serial PRIMARY KEY, item text NOT NULL)");
        site.startAgent("psql1", primary);
        primaryId = "psql1:" + primary.port();
        site.awaitUp("psql1", primary);
        site.startAgentWith(
                "psql2", List.of("--passphrase-file", site.passphraseFile().toString()));
        standbyDirectory = site.standbyTarget("web");
        standbyPort = FreePorts.next();
        browser = Browser.start("en-US");
        browser.until(
                "agent psql2 online",
                () -> site.agent("psql2").map(a -> a.online()).orElse(false));
    }

    @AfterAll
    static void stopSite() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            site.close();
        }
    }

    private static void logIn(String user, String password) {
        browser.open(site.url());
        browser.type("#login-user", user);
        browser.type("#login-password", password);
        browser.click("#login-button");
        browser.until("the app shown", () -> browser.shows("#app-view"));
    }

    private static void logOut() {
        browser.click("#logout-button");
        browser.until("the login page shown", () -> browser.shows("#login-view"));
    }

    @Test
    @Order(1)
    void anAdminLogsInAndIsOfferedToSetUpAStandby() {
        logIn("admin", TestSite.ADMIN_PASSWORD);

        browser.until("the empty dashboard", () -> browser.has(".empty-state"));
        assertThat(browser.text(".page-head h1")).isEqualTo("Dashboard");
        assertThat(browser.shows("a[data-page='setup']")).isTrue();
        browser.until("live updates connected", () -> "live".equals(browser.attribute("#live", "data-state")));
    }

    @Test
    @Order(2)
    void theWizardCreatesAStreamingHotStandbyAndTheDashboardShowsItsBadge() throws IOException {
        browser.click("[data-action='open-setup']");
        browser.type("[data-field='name']", "sales");
        browser.select("select[data-field='primary']", primaryId);
        browser.select("select[data-field='standby.agent']", "psql2");
        browser.type("[data-field='standby.dataDirectory']", standbyDirectory.toString());
        browser.type("[data-field='standby.port']", Integer.toString(standbyPort));
        shot("wizard-1");
        browser.click("[data-action='next']");

        assertThat(browser.text(".wizard-card h2")).isEqualTo("Set it up now?");
        browser.click("#method-WAL_STREAMING");
        browser.click("#mode-HOT");
        shot("wizard-2");
        browser.click("[data-action='create-standby']");

        browser.find(".operation .progress");
        shot("wizard-3");
        browser.until("the standby created", CREATION, () -> browser.has("[data-result]"));
        assertThat(browser.attribute("[data-result]", "data-result")).isEqualTo("SUCCEEDED");
        List<WebElement> steps = browser.all(".step");
        assertThat(steps).isNotEmpty();
        assertThat(browser.all(".step[data-step-state='DONE']")).hasSameSizeAs(steps);
        assertThat(browser.attribute(".progress", "aria-valuenow")).isEqualTo("100");
        shot("wizard-done");

        browser.click("[data-action='to-dashboard']");
        browser.until(
                "the standby's badge HOT STANDBY",
                () -> browser.shows(CARD + " .member-standby .badge[data-state='HOT_STANDBY']"));
        assertThat(browser.text(CARD + " .member-standby .badge[data-state]")).isEqualTo("HOT STANDBY");
        assertThat(browser.text(CARD + " .member-primary .badge")).isEqualTo("ONLINE");
        assertThat(browser.attribute(CARD + " .member-primary", "data-database"))
                .isEqualTo(primaryId);
        assertThat(browser.text(CARD + " .tags")).contains("WAL streaming").contains("Epoch 1");
        browser.until(
                "in sync", () -> "true".equals(browser.attribute(CARD + " [data-metric='in-sync']", "data-value")));

        saveScreenshot();
    }

    private static void saveScreenshot() throws IOException {
        byte[] png = browser.screenshot();
        Files.write(Files.createDirectories(Path.of("target")).resolve("dashboard.png"), png);
        String docs = System.getProperty("understudy.screenshot");
        if (docs != null && !docs.isBlank()) {
            Files.write(Path.of(docs), png);
        }
    }

    /** The window as it is now in target/screenshots/NAME.png, for a person looking at a run. */
    private static void shot(String name) {
        try {
            Files.write(
                    Files.createDirectories(Path.of("target", "screenshots")).resolve(name + ".png"),
                    browser.screenshot());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    @Order(3)
    void aSwitchoverFromItsDialogSwapsTheRolesOnTheDashboard() {
        Assumptions.assumeTrue(
                openApi().contains("/api/v1/configurations/{name}/switchover"),
                "the Control Center of this branch has no switchover yet");
        String standbyId = "psql2:" + standbyPort;

        browser.click(CARD + " [data-action='switchover']");
        assertThat(browser.text("#dialog-title")).isEqualTo("Switch over sales?");
        assertThat(browser.text("#dialog .dialog-body")).contains(standbyId + " becomes the primary of sales");
        shot("switchover-dialog");
        browser.click("#dialog [data-action='confirm']");

        browser.until("the switchover done", SWITCHOVER, () -> browser.has("#dialog [data-result]"));
        assertThat(browser.attribute("#dialog [data-result]", "data-result")).isEqualTo("SUCCEEDED");
        shot("switchover-done");
        browser.click("#dialog [data-action='close']");

        browser.until(
                "the roles swapped",
                Duration.ofSeconds(30),
                () -> standbyId.equals(browser.attribute(CARD + " .member-primary", "data-database"))
                        && primaryId.equals(browser.attribute(CARD + " .member-standby", "data-database")));
        browser.until(
                "the new standby replays",
                Duration.ofSeconds(60),
                () -> browser.has(CARD + " .member-standby .badge[data-state='HOT_STANDBY']"));
        assertThat(browser.text(CARD + " .member-primary .badge")).isEqualTo("ONLINE");
        assertThat(browser.attribute(CARD + " [data-epoch]", "data-epoch")).isEqualTo("2");
        shot("dashboard-after-switchover");
    }

    @Test
    @Order(4)
    void inJapaneseTheDashboardAndItsDialogsSpeakJapaneseAndSayWhyAChangeIsRefused() {
        browser.click("a[data-page='settings']");
        browser.select("#settings-language", "ja");
        browser.until(
                "the page in Japanese", () -> "ja".equals(browser.script("return document.documentElement.lang")));
        assertThat(browser.text("a[data-page='dashboard']")).isEqualTo("ダッシュボード");

        browser.click("a[data-page='dashboard']");
        browser.until("the dashboard in Japanese", () -> browser.textNow(".page-head h1")
                .equals("ダッシュボード"));
        assertThat(browser.text(CARD + " .member-primary .member-role")).isEqualTo("プライマリ");
        browser.until(
                "the standby's badge in Japanese", () -> browser.textNow(CARD + " .member-standby .badge[data-state]")
                        .equals("ホットスタンバイ"));
        assertThat(browser.text(CARD + " [data-action='switchover']")).isEqualTo("スイッチオーバー");
        assertThat(browser.text(CARD + " [data-auto-failover]")).isEqualTo("自動フェイルオーバー: オフ");
        shot("dashboard-ja");

        browser.click(CARD + " [data-action='observer']");
        assertThat(browser.text("#dialog-title")).isEqualTo("sales のオブザーバー");
        assertThat(browser.text("#dialog [data-action='confirm']")).isEqualTo("保存");
        browser.type("#dialog [data-field='intervalMillis']", "50");
        browser.click("#dialog [data-action='confirm']");
        browser.until("the refusal shown at its field", () -> browser.shows("#dialog .field-error"));
        assertThat(browser.text("#dialog .field-error")).startsWith("チェック間隔 を確認してください。");
        shot("observer-ja");
        browser.click("#dialog [data-action='cancel']");
        browser.until("the dialog closed", () -> !browser.has("#dialog .dialog-body"));
    }

    @Test
    @Order(5)
    void aViewerSeesTheDashboardButFindsNoActionEnabled() {
        browser.click("a[data-page='settings']");
        browser.type("[data-form='add-user'] [data-field='name']", "vera");
        browser.select("[data-form='add-user'] [data-field='role']", "viewer");
        browser.type("[data-form='add-user'] [data-field='password']", "vera-password");
        browser.click("[data-form='add-user'] button[type='submit']");
        browser.find("tr[data-user='vera']");
        shot("settings-ja");
        logOut();

        logIn("vera", "vera-password");
        browser.find(CARD);
        assertThat(browser.text(".page-head h1"))
                .as("a new user follows the browser's language")
                .isEqualTo("Dashboard");
        browser.until(
                "the actions shown",
                () -> browser.all(CARD + " button[data-action]").size() >= 5);
        List<WebElement> actions = browser.all(CARD + " button[data-action]");
        assertThat(actions)
                .allSatisfy(b -> assertThat(b.isEnabled()).as(b.getText()).isFalse());
        assertThat(browser.has("[data-action='open-setup']")).isFalse();
        assertThat(browser.shows("a[data-page='setup']")).isFalse();
        shot("viewer-dashboard");

        browser.click("a[data-page='events']");
        browser.until("events listed", () -> browser.all("tr[data-kind]").size() > 10);
        browser.select("#events-configuration", "sales");
        browser.select("#events-kind", "OBSERVER_SETTINGS_CHANGED");
        browser.until(
                "nothing but the kind chosen",
                () -> !browser.has("tr[data-kind]:not([data-kind='OBSERVER_SETTINGS_CHANGED'])"));
        browser.select("#events-kind", "CONFIGURATION_CREATED");
        browser.until("the configuration's creation", () -> browser.has("tr[data-kind='CONFIGURATION_CREATED']"));
        assertThat(browser.all("tr[data-kind]")).hasSize(1);
        shot("events");

        browser.click("a[data-page='agents']");
        browser.until(
                "both agents online",
                () -> browser.has(".agent-card[data-agent='psql1'] [data-online='true']")
                        && browser.has(".agent-card[data-agent='psql2'] [data-online='true']"));
        assertThat(browser.has(".agent-card[data-agent='psql1'] tr[data-database='" + primaryId + "']"))
                .isTrue();
        shot("agents");

        browser.open(site.url() + "/#/setup");
        browser.until(
                "the wizard refuses", () -> browser.textNow(".wizard-card").contains("viewer"));
        assertThat(browser.has(".wizard-card form")).isFalse();
        browser.click("a[data-page='settings']");
        browser.find("#settings-language");
        assertThat(browser.has("[data-section='users']")).isFalse();
    }

    @Test
    @Order(6)
    void afterLogoutThePageAndTheApiRefuseTheOldSession() throws Exception {
        Cookie session = browser.driver().manage().getCookieNamed("understudy_session");
        assertThat(session).isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(status("/api/v1/session", session.getValue())).isEqualTo(200);

        logOut();

        assertThat(status("/api/v1/session", session.getValue())).isEqualTo(401);
        assertThat(status("/api/v1/status", session.getValue())).isEqualTo(401);
        browser.open(site.url() + "/#/dashboard");
        browser.until("the login page", () -> browser.shows("#login-view"));
        assertThat(browser.shows("#app-view")).isFalse();
    }

    @Test
    @Order(7)
    void theLoginPageFollowsTheBrowsersLanguage() {
        try (Browser japanese = Browser.start("ja-JP")) {
            japanese.open(site.url());
            japanese.until("the login page in Japanese", () -> japanese.textNow("#login-button")
                    .equals("ログイン"));
            assertThat(japanese.text("label[for='login-password']")).isEqualTo("パスワード");
        }
    }

    private static int status(String path, String sessionCookie) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(site.url() + path))
                .header("Cookie", "understudy_session=" + sessionCookie)
                .build();
        return HttpClient.newHttpClient()
                .send(request, HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static String openApi() {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(site.url() + "/api/openapi.json"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
