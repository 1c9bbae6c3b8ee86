package io.tributary.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven through its own chromedriver, both at fixed paths, so Selenium
 * Manager never looks for (or downloads) anything. Install them with scripts/install-browser.sh.
 */
public final class Browser implements AutoCloseable {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private final ChromeDriver driver;
    private final Path profile;
    /** Where screenshots go (the -Dconsole.screenshots folder), or null: the suite takes none. */
    private final Path screenshots;

    private Browser(ChromeDriver driver, Path profile, Path screenshots) {
        this.driver = driver;
        this.profile = profile;
        this.screenshots = screenshots;
    }

    public static Browser start() {
        for (String program : new String[] {CHROMIUM, CHROMEDRIVER}) {
            if (!Files.isExecutable(Path.of(program))) {
                throw new AssertionError(program + " is missing: the console's browser tests need Debian's chromium "
                        + "and chromium-driver; run scripts/install-browser.sh (as root) first");
            }
        }
        try {
            Path profile = Files.createTempDirectory("tributary-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--window-size=1440,1000", "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
            String folder = System.getProperty("console.screenshots", "");
            return new Browser(new ChromeDriver(service, options), profile, folder.isBlank() ? null : Path.of(folder));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public String text(String css) {
        return find(css).getText();
    }

    /** Clicks what submits a form or follows a link, and returns once the next page has replaced this one. */
    public void clickAndWait(WebElement element) {
        WebElement page = driver.findElement(By.tagName("html"));
        element.click();
        await(Duration.ofSeconds(60), browser -> {
            try {
                page.getTagName();
                return false;
            } catch (WebDriverException gone) {
                // Stale, or (mid-navigation) chromedriver's "node does not belong to the document": replaced.
                return true;
            }
        });
    }

    /** {@link #clickAndWait} on the element the selector finds. */
    public void clickAndWait(String css) {
        clickAndWait(find(css));
    }

    /** Polls (reloading if asked) until the condition holds; the deadline is generous for a busy machine. */
    public <T> T await(Duration timeout, Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, timeout, Duration.ofMillis(200)).until(condition);
        } catch (TimeoutException e) {
            throw new AssertionError("Waited " + timeout + " in vain; the browser is at " + driver.getCurrentUrl()
                    + " showing:\n" + driver.findElement(By.tagName("body")).getText(), e);
        }
    }

    /**
     * Saves the whole current page (not just the window) as <folder>/console-<name>.png when screenshots
     * were asked for: the window grows to the document's height for the shot, then goes back.
     */
    public void screenshot(String name) {
        if (screenshots == null) {
            return;
        }
        Dimension window = driver.manage().window().getSize();
        long chrome = (Long) driver.executeScript("return window.outerHeight - window.innerHeight;");
        long height = (Long) driver.executeScript(
                "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight);");
        try {
            int fullHeight = (int) Math.max(window.getHeight(), height + chrome);
            driver.manage().window().setSize(new Dimension(window.getWidth(), fullHeight));
            Files.createDirectories(screenshots);
            Files.write(screenshots.resolve("console-" + name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            driver.manage().window().setSize(window);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
