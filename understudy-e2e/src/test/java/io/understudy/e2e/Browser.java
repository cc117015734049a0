package io.understudy.e2e;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, headless, driven through its chromedriver: the binaries from the PATH (or
 * UNDERSTUDY_CHROMIUM and UNDERSTUDY_CHROMEDRIVER), never downloaded. A test that finds neither is
 * skipped with the way to install them; CI's {@code .ci/run} installs them.
 */
final class Browser implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(15);

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** A new headless browser that prefers {@code language} (e.g. {@code en-US}), 1440×1000 pixels. */
    static Browser start(String language) {
        Path chromium = executable("UNDERSTUDY_CHROMIUM", "chromium", "chromium-browser", "google-chrome");
        Path chromedriver = executable("UNDERSTUDY_CHROMEDRIVER", "chromedriver");
        Path profile;
        try {
            profile = Files.createTempDirectory("us-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--window-size=1440,1000",
                "--lang=" + language,
                "--user-data-dir=" + profile);
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        return new Browser(new ChromeDriver(service, options), profile);
    }

    private static Path executable(String variable, String... names) {
        String given = System.getenv(variable);
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
        for (String name : names) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        Assumptions.abort("no " + names[0] + " on the PATH: install Debian's chromium and chromium-driver"
                + " (apt-get install chromium chromium-driver; .ci/run does it), or set " + variable);
        throw new IllegalStateException("unreachable");
    }

    ChromeDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    /** The first element matching {@code css}, once there is one. */
    WebElement find(String css) {
        return eventually(() -> driver.findElement(By.cssSelector(css)), "an element " + css);
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until the first element matching {@code css} is displayed and enabled, then clicks it. */
    void click(String css) {
        eventually(
                () -> {
                    WebElement element = driver.findElement(By.cssSelector(css));
                    if (!element.isDisplayed() || !element.isEnabled()) {
                        return null;
                    }
                    element.click();
                    return element;
                },
                "a clickable " + css);
    }

    /** Types {@code text} into the (cleared) field matching {@code css}. */
    void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    /** Chooses the option whose value is {@code value} in the select matching {@code css}, once it is there. */
    void select(String css, String value) {
        eventually(
                () -> {
                    WebElement option = driver.findElement(By.cssSelector(css + " option[value='" + value + "']"));
                    option.click();
                    return option;
                },
                "option " + value + " in " + css);
    }

    /** The visible text of the first element matching {@code css}, once there is one. */
    String text(String css) {
        return eventually(() -> driver.findElement(By.cssSelector(css)).getText(), "text of " + css);
    }

    /** Whether an element matches {@code css} now; does not wait. */
    boolean has(String css) {
        return !driver.findElements(By.cssSelector(css)).isEmpty();
    }

    /** Whether the first element matching {@code css} is displayed now; does not wait. */
    boolean shows(String css) {
        return driver.findElements(By.cssSelector(css)).stream()
                .findFirst()
                .map(WebElement::isDisplayed)
                .orElse(false);
    }

    /** The attribute {@code name} of the first element matching {@code css} now, or null; does not wait. */
    String attribute(String css, String name) {
        return driver.findElements(By.cssSelector(css)).stream()
                .findFirst()
                .map(e -> e.getDomAttribute(name))
                .orElse(null);
    }

    /** The visible text of the first element matching {@code css} now, or ""; does not wait. */
    String textNow(String css) {
        return driver.findElements(By.cssSelector(css)).stream()
                .findFirst()
                .map(WebElement::getText)
                .orElse("");
    }

    /** Waits until {@code condition} holds, retrying while the page changes under it. */
    void until(String what, Callable<Boolean> condition) {
        await(what)
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsMatching(Browser::pageChanged)
                .until(condition);
    }

    /** Waits up to {@code atMost} until {@code condition} holds. */
    void until(String what, Duration atMost, Callable<Boolean> condition) {
        await(what)
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsMatching(Browser::pageChanged)
                .until(condition);
    }

    /** An element that went away or is not there yet: the page re-renders as the Control Center changes. */
    private static boolean pageChanged(Throwable e) {
        return e instanceof StaleElementReferenceException || e instanceof NoSuchElementException;
    }

    private <T> T eventually(Callable<T> lookup, String what) {
        Object[] found = new Object[1];
        until(what, () -> {
            found[0] = lookup.call();
            return found[0] != null;
        });
        @SuppressWarnings("unchecked")
        T result = (T) found[0];
        return result;
    }

    /** A PNG of the window as it is now. */
    byte[] screenshot() {
        return driver.getScreenshotAs(OutputType.BYTES);
    }

    Object script(String javascript, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(javascript, args);
    }

    /** What a failed test's report needs: the URL and the page's text. */
    String diagnostics() {
        try {
            return "--- browser at " + driver.getCurrentUrl() + "\n"
                    + driver.findElement(By.tagName("body")).getText();
        } catch (RuntimeException e) {
            return "--- browser: " + e.getMessage();
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> paths = Files.walk(profile)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a leftover profile in /tmp is harmless
            }
        }
    }
}
