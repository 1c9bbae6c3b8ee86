package io.tributary.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.support.Api;
import io.tributary.support.AppTest;
import io.tributary.support.Browser;
import io.tributary.support.HubSpotDouble;
import io.tributary.support.StripeEvents;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console in a real (headless) Chromium: sign in, connect a HubSpot portal through the real
 * OAuth redirects (the double's consent page approves at once), sync it, read the run in the
 * table, add a Stripe account and replay its event (from the list and its own page), register a source,
 * disconnect with purge.
 * With -Dconsole.screenshots=docs it also saves each page as docs/console-*.png for the README.
 */
class ConsoleBrowserIT extends AppTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String STRIPE_SECRET = "whsec_console_browser_secret_01";

    @AfterEach
    void forgetConsent() {
        HUBSPOT.reset();
    }

    @Test
    void signsInConnectsSyncsRegistersASourceAndDisconnectsWithPurge() {
        Api api = newWorkspace();
        HubSpotDouble.Portal portal = HUBSPOT.portal(9701, "browser.hubspot.com");
        portal.generate("contacts", 30, 1, Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS),
                Duration.ofSeconds(10));
        HUBSPOT.consentAs(portal);
        String console = "http://localhost:" + port + "/console";

        try (Browser browser = Browser.start()) {
            browser.open(console + "/integrations");
            assertThat(browser.driver().getCurrentUrl()).isEqualTo(console + "/login");
            browser.screenshot("login");
            browser.find("#api_key").sendKeys("not-a-key");
            browser.clickAndWait("#sign-in");
            assertThat(browser.text(".flash.problem")).contains("That API key is not valid");

            browser.find("#api_key").sendKeys(api.apiKey());
            browser.clickAndWait("#sign-in");
            assertThat(browser.driver().getCurrentUrl()).isEqualTo(console + "/integrations");
            assertThat(browser.text(".empty")).contains("No integrations yet");

            // Connect: console → HubSpot's consent page → the app's callback → back on the console.
            browser.clickAndWait("#connect-hubspot");
            browser.await(PATIENCE, page -> page.getCurrentUrl().startsWith(console + "/integrations?")
                    && page.getCurrentUrl().contains("connected=hubspot"));
            assertThat(browser.text(".flash.notice")).contains("HubSpot connected");
            WebElement row = browser.find("#integrations tbody tr");
            assertThat(row.getText()).contains("browser.hubspot.com", "connected");

            browser.clickAndWait(row.findElement(By.cssSelector(".sync-now")));
            assertThat(browser.text(".flash.notice")).contains("Sync started (3 runs)");

            browser.clickAndWait("nav a[href='/console/sync-runs']");
            WebElement contacts = browser.await(PATIENCE, page -> {
                page.navigate().refresh();
                List<WebElement> done = page.findElements(By.xpath(
                        "//table[@id='sync-runs']//tr[td[3]='contacts' and .//span[text()='succeeded']]"));
                return done.isEmpty() ? null : done.get(0);
            });
            assertThat(contacts.findElement(By.cssSelector(".fetched")).getText()).isEqualTo("30");
            assertThat(contacts.findElement(By.cssSelector(".ingested")).getText()).isEqualTo("30");
            assertThat(contacts.findElement(By.cssSelector(".failed")).getText()).isEqualTo("0");
            assertThat(contacts.getText()).contains("HubSpot", "manual");
            browser.await(PATIENCE, page -> {
                page.navigate().refresh();
                return page.findElements(By.xpath("//table[@id='sync-runs']//span[text()='succeeded']")).size() == 3;
            });
            browser.screenshot("sync-runs");
            browser.find("#provider option[value='salesforce']").click();
            browser.clickAndWait(".filters button");
            assertThat(browser.text(".empty")).contains("No run matches these filters");

            browser.open(console + "/sync-runs");
            browser.clickAndWait(browser.driver().findElement(
                    By.xpath("//table[@id='sync-runs']//tr[td[3]='contacts']//a")));
            assertThat(browser.text("#run-counts")).isEqualTo("30 / 30 / 0 / 0");
            assertThat(browser.driver().getPageSource()).contains("No errors.");
            browser.screenshot("sync-run");

            // A Stripe account: the page shows the URL to paste into Stripe; an event sent there shows up.
            browser.clickAndWait("nav a[href='/console/integrations']");
            browser.find("#stripe-name").sendKeys("Stripe live");
            browser.clickAndWait("#add-stripe");
            assertThat(browser.text(".flash.problem")).contains("Signing secret is required");
            browser.find("#stripe-name").sendKeys("Stripe live");
            browser.find("#stripe-secret").sendKeys(STRIPE_SECRET);
            browser.clickAndWait("#add-stripe");
            String webhookUrl = browser.text("#webhook-url");
            assertThat(webhookUrl).startsWith("http://localhost:" + port + "/webhooks/stripe/");
            assertThat(browser.driver().getPageSource()).doesNotContain(STRIPE_SECRET);
            String stripeId = webhookUrl.substring(webhookUrl.lastIndexOf('/') + 1);
            String event = StripeEvents.event("customer.created", StripeEvents.object("customer"), 1_732_000_000L)
                    .toString();
            assertThat(StripeEvents.deliver(anonymous(), stripeId, event, STRIPE_SECRET).status()).isEqualTo(200);
            browser.screenshot("integrations");

            browser.clickAndWait("nav a[href='/console/webhook-events']");
            browser.await(PATIENCE, page -> {
                page.navigate().refresh();
                return !page.findElements(By.xpath("//table[@id='webhook-events']//span[text()='processed']")).isEmpty();
            });
            assertThat(browser.text("#webhook-events")).contains("customer.created");
            browser.screenshot("webhook-events");
            browser.clickAndWait("#webhook-events button");
            assertThat(browser.text(".flash.notice")).contains("queued again");

            // The event's own page: payload, history (the first run and the replay), and Replay again.
            browser.clickAndWait("#webhook-events td a");
            browser.await(PATIENCE, page -> {
                page.navigate().refresh();
                return "processed".equals(page.findElement(By.id("event-status")).getText())
                        && page.findElements(By.cssSelector("#event-history tbody tr")).size() == 2;
            });
            assertThat(browser.text("#event-type")).isEqualTo("customer.created");
            assertThat(browser.text("#event-payload")).contains("\"type\" : \"customer.created\"");
            browser.screenshot("webhook-event");
            browser.clickAndWait("#replay");
            assertThat(browser.text(".flash.notice")).contains("queued again");
            assertThat(browser.text("#event-type")).isEqualTo("customer.created");

            browser.clickAndWait("nav a[href='/console/sources']");
            browser.find("#source-key").sendKeys("billing_db");
            browser.find("#source-name").sendKeys("Billing database");
            browser.clickAndWait("#register-source");
            assertThat(browser.text(".flash.notice")).contains("Source \"billing_db\" registered");
            assertThat(browser.text("#sources tr[data-source-key='billing_db']")).contains("Billing database", "custom");
            browser.screenshot("sources");

            browser.clickAndWait("nav a[href='/console/integrations']");
            WebElement hubspot = browser.driver().findElement(By.xpath(
                    "//table[@id='integrations']//tr[.//span[text()='HubSpot']]"));
            hubspot.findElement(By.cssSelector("details.disconnect summary")).click();
            hubspot.findElement(By.cssSelector("input[name='purge']")).click();
            hubspot.findElement(By.cssSelector("input[name='confirm']")).sendKeys("PURGE HUBSPOT");
            browser.clickAndWait(hubspot.findElement(By.cssSelector("button.danger")));
            assertThat(browser.text(".flash.notice")).contains("disconnected; 30 of its records deleted");
            assertThat(browser.driver().findElement(By.xpath("//table[@id='integrations']//tr[.//span[text()='HubSpot']]"))
                    .getText()).contains("disconnected");
            assertThat(api.get("/api/v1/records?system=hubspot").json().get("items")).isEmpty();

            browser.clickAndWait("#sign-out");
            assertThat(browser.driver().getCurrentUrl()).startsWith(console + "/login");
            browser.open(console + "/sync-runs");
            assertThat(browser.driver().getCurrentUrl()).isEqualTo(console + "/login");
        }
    }
}
