package io.gradstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gradstream.demo.EmbeddedKafka;
import io.gradstream.replay.EventRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live page in a real browser (Debian's chromium, headless, driven by chromium-driver) against
 * the demo as a user starts it, with one model key that tries to inject HTML. The page must load
 * without a console error, its loss chart must gain points while we watch, the search must find a
 * key, the model view must show weights that change and the contour view a path that grows, the
 * hostile key must be text, and the page must come back by itself after the service restarts.
 */
class LivePageIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final String HOSTILE = "<img src=x onerror=\"window.__xss=1\">";
  private static final Pattern LISTENING = Pattern.compile("listening on (localhost:\\d+)");

  @Test
  void theLivePageShowsLearningAsItHappens() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER)
        || "true".equals(System.getenv("CI")),
        "chromium and chromium-driver are not installed (apt-get install chromium "
            + "chromium-driver; .ci/run does it)");
    final int httpPort = EmbeddedKafka.freePort();
    final Path log = Files.createTempFile("gradstream-live-page", ".log");
    ServiceProcess demo = startDemo(log, httpPort);
    final WebDriver browser = browser();
    try {
      demo.awaitReady(Duration.ofSeconds(90));
      final String bootstrap = find(demo.output(), LISTENING);
      EventProducer.send(bootstrap, "training-events", List.of(
          new EventRow(HOSTILE, new double[] {0.5}, 0.4, EventRow.Kind.VALID),
          new EventRow(HOSTILE, new double[] {-0.5}, 0.6, EventRow.Kind.VALID)), 0, false);

      browser.get("http://localhost:" + httpPort + "/");
      final JavascriptExecutor js = (JavascriptExecutor) browser;
      final WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
      wait.ignoring(StaleElementReferenceException.class);

      // the loss chart has points, and more while we watch
      wait.until(b -> points(b, "loss-chart") >= 2);
      final int before = points(browser, "loss-chart");
      wait.until(b -> points(b, "loss-chart") >= before + 2);
      assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("live");

      // the search finds a key
      search(browser, wait, "model-2");
      assertThat(keysShown(browser)).containsExactly("model-2");

      // the model view: weights that change, and the contour of a two-parameter model with its
      // path growing
      search(browser, wait, "model-0");
      clickFirstRow(wait);
      wait.until(b -> b.findElement(By.id("model-key")).getText().equals("model-0")
          && b.findElement(By.id("model-summary")).getText().contains("w ["));
      final String weights = weights(browser);
      wait.until(b -> !weights(b).equals(weights));
      // each chart's time axis only goes forward (answers in flight must not repeat samples)
      wait.until(b -> points(b, "param-chart") >= 3);
      assertThat(number(browser.findElement(By.id("rate-chart")), "series"))
          .as("events/s, and dead letters/s of each reason").isGreaterThanOrEqualTo(1);
      for (final String chart : new String[] {"loss-chart", "rate-chart", "param-chart"}) {
        assertThat(browser.findElement(By.id(chart)).getDomAttribute("data-ordered"))
            .as(chart).isEqualTo("true");
      }
      final WebElement surface = browser.findElement(By.id("surface"));
      wait.until(b -> surface.isDisplayed() && number(surface, "contourSegments") > 0
          && number(surface, "pathPoints") > 0);
      final String latest = surface.getDomAttribute("data-last");
      wait.until(b -> !latest.equals(surface.getDomAttribute("data-last")));
      assertThat(number(surface, "pathPoints")).isGreaterThan(1);
      // the selected row and the view show the same step, though the table is read less often
      wait.until(
          b -> {
            final String summary = b.findElement(By.id("model-summary")).getText();
            final String steps =
                b.findElement(By.cssSelector("#models tbody tr.selected td:nth-child(2)"))
                    .getText();
            return summary.startsWith("steps " + steps + " ");
          });
      assertThat(number(surface, "levels")).as("a legend line for every contour level")
          .isEqualTo(13);
      // a race: each variant's path on the one surface, its weighted loss a line of its own,
      // the champion marked
      wait.until(b -> number(surface, "variants") == 3);
      assertThat(surface.getDomAttribute("data-variant-points").split(","))
          .allSatisfy(points -> assertThat(Integer.parseInt(points)).isGreaterThan(1));
      final WebElement raceLoss = browser.findElement(By.id("model-loss-chart"));
      wait.until(b -> number(raceLoss, "variants") == 3
          && !raceLoss.getDomAttribute("data-champion").isEmpty());
      assertThat(raceLoss.getText()).contains("Weighted loss per variant").contains("★ ");
      assertThat(browser.findElement(By.id("surface-p2")).getText()).isEqualTo("b");
      Files.write(Path.of("target", "live-page.png"),
          ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));

      // the hostile key is text wherever it shows; nothing it holds ran
      search(browser, wait, "<img");
      assertThat(keysShown(browser)).containsExactly(HOSTILE);
      clickFirstRow(wait);
      wait.until(b -> b.findElement(By.id("model-key")).getText().equals(HOSTILE));
      assertThat(js.executeScript("return document.querySelectorAll('img').length")).isEqualTo(0L);
      assertThat(js.executeScript("return window.__xss === undefined")).isEqualTo(true);

      assertThat(severe(browser)).as("errors in the browser's console").isEmpty();

      // the service restarts: the page says so, then carries on by itself
      demo.terminate(Duration.ofSeconds(60));
      wait.until(b -> b.findElement(By.id("status")).getText().startsWith("reconnecting"));
      demo = startDemo(log, httpPort);
      demo.awaitReady(Duration.ofSeconds(90));
      final double restarted = System.currentTimeMillis() / 1000.0;
      wait.until(b -> b.findElement(By.id("status")).getText().equals("live"));
      wait.until(b -> Double.parseDouble(b.findElement(By.id("loss-chart"))
          .getDomAttribute("data-latest")) > restarted);
    } finally {
      browser.quit();
      demo.close();
    }
  }

  /**
   * A network of 3 named classes' view: its layers, a series of the gradient reaching each over
   * time, its accuracy and log loss, and its last events' class probabilities, a row each with
   * the label and the predicted class.
   */
  @Test
  void aNetworkOfClassesShowsItsLayersTheGradientReachingEachAndItsClassProbabilities()
      throws Exception {
    onModelZero("network", (browser, wait, demo) -> {
      wait.until(b -> b.findElement(By.id("model-summary")).getText()
          .contains("network 3–4–2–3 (inputs first)"));
      wait.until(b -> points(b, "param-chart") >= 3 && points(b, "model-loss-chart") >= 3);
      assertThat(number(browser.findElement(By.id("param-chart")), "series")).isEqualTo(3);
      assertThat(browser.findElement(By.id("param-chart")).getText())
          .contains("Gradient norm per layer").contains("layer 1 (3 → 4)")
          .contains("layer 3 (2 → 3)");
      assertThat(browser.findElement(By.id("surface-box")).isDisplayed()).isFalse();
      wait.until(b -> b.findElement(By.id("model-summary")).getText().contains("log loss"));
      assertThat(browser.findElement(By.id("model-summary")).getText()).contains("accuracy ");
      wait.until(b -> b.findElement(By.id("classes-box")).isDisplayed()
          && b.findElements(By.cssSelector("#recent-classes tbody tr")).size() >= 5);
      assertThat(browser.findElement(By.cssSelector("#recent-classes thead")).getText())
          .contains("label").contains("predicted").contains("north").contains("west")
          .contains("south");
      // the newest row, read at once (the table is drawn again every second)
      final List<?> cells = (List<?>) ((JavascriptExecutor) browser).executeScript("return "
          + "[...document.querySelectorAll('#recent-classes tbody tr:first-child td')]"
          + ".map(td => td.className + '|' + td.textContent);");
      assertThat(cells).hasSize(5);
      double sum = 0;
      int truth = 0;
      int predicted = 0;
      for (final Object cell : cells.subList(2, 5)) {
        final String[] parts = cell.toString().split("\\|");
        assertThat(parts[0]).startsWith("probability");
        truth += parts[0].contains("truth") ? 1 : 0;
        predicted += parts[0].contains("predicted") ? 1 : 0;
        sum += Double.parseDouble(parts[1]);
      }
      assertThat(truth).isEqualTo(1);
      assertThat(predicted).isEqualTo(1);
      assertThat(sum).as("the probabilities of one event").isCloseTo(1.0, within(0.01));
      assertThat(demo.output()).contains("3 classes, each a sector of the plane");
    }, "--rate", "300", "--features", "3", "--hidden", "4,2", "--loss", "cross-entropy",
        "--class-names", "north,west,south");
  }

  /**
   * {@code demo --teacher-drift}: the teacher turns over every few seconds; each model's
   * Page-Hinkley detector sees it and resets it; the model view says so, marks each drift on its
   * charts, and its R² over the window recovers after it.
   */
  @Test
  void aDriftOfTheTeacherIsMarkedAndTheModelRecovers() throws Exception {
    onModelZero("drift", (browser, wait, demo) -> {
      wait.until(b -> b.findElement(By.id("model-summary")).getText().contains("R² "));
      // one model's path on its loss surface
      final WebElement surface = browser.findElement(By.id("surface"));
      wait.until(b -> surface.isDisplayed() && number(surface, "contourSegments") > 0
          && number(surface, "pathPoints") > 1);
      assertThat(surface.getDomAttribute("data-variants")).isNull();
      // the first change of the teacher comes at 8 s: a drift, marked on both charts
      wait.until(b -> number(b.findElement(By.id("model-eval-chart")), "marks") >= 1
          && number(b.findElement(By.id("model-loss-chart")), "marks") >= 1);
      assertThat(browser.findElement(By.id("model-summary")).getText())
          .containsPattern("[0-9]+ drifts?, generation [1-9]");
      assertThat(browser.findElement(By.id("model-eval-chart")).getText())
          .contains("R² over the last window").contains("R², served");
      // and it learns the new teacher: R² over its window (since the reset) high again
      wait.until(b -> r2(b.findElement(By.id("model-summary")).getText()) > 0.8);
      assertThat(browser.findElement(By.cssSelector("#models tbody tr td:last-child"))
          .getText()).startsWith("R² ");
      assertThat(demo.output()).contains("demo: the teacher changes every 8.0 s");
    }, "--rate", "400", "--teacher-drift", "8", "--learning-rate", "0.5");
  }

  /** What a test does with the page open on model-0's view. */
  private interface PageCheck {
    void on(WebDriver browser, WebDriverWait wait, ServiceProcess demo) throws Exception;
  }

  /**
   * A demo of two keys with {@code flags}, the page opened in a real browser on model-0's view,
   * then {@code check}; and no error in the browser's console.
   */
  private static void onModelZero(final String name, final PageCheck check,
      final String... flags) throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER)
        || "true".equals(System.getenv("CI")), "chromium and chromium-driver are not installed");
    final int httpPort = EmbeddedKafka.freePort();
    final Path log = Files.createTempFile("gradstream-live-page-" + name, ".log");
    final List<String> args = new ArrayList<>(List.of("demo", "--keys", "2"));
    args.addAll(List.of(flags));
    final WebDriver browser = browser();
    try (ServiceProcess demo = ServiceProcess.start(log, Map.of(), httpPort,
        args.toArray(String[]::new))) {
      demo.awaitReady(Duration.ofSeconds(90));
      browser.get("http://localhost:" + httpPort + "/");
      final WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
      wait.ignoring(StaleElementReferenceException.class);
      search(browser, wait, "model-0");
      clickFirstRow(wait);
      check.on(browser, wait, demo);
      assertThat(severe(browser)).isEmpty();
    } finally {
      browser.quit();
    }
  }

  /** The R² in a model summary ("... · R² 0.93 (window) · ..."), or NaN. */
  private static double r2(final String summary) {
    final Matcher m = Pattern.compile("R² ([-0-9.e]+)").matcher(summary);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  private static ServiceProcess startDemo(final Path log, final int httpPort) throws Exception {
    return ServiceProcess.start(log, Map.of(), httpPort, "demo", "--keys", "3", "--rate", "300",
        "--progress-every", "2", "--race", "learning-rate=0.02,0.2,2", "--race-warmup", "20",
        "--race-half-life", "20");
  }

  /** Debian's chromium, headless, through its own chromium-driver: nothing is downloaded. */
  private static WebDriver browser() {
    final ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
        "--window-size=1280,2000");
    final LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(
        DRIVER.toFile()).build(), options);
  }

  private static void search(final WebDriver browser, final WebDriverWait wait,
      final String text) {
    final WebElement box = browser.findElement(By.id("search"));
    box.clear();
    box.sendKeys(text);
    wait.until(
        b -> !keysShown(b).isEmpty() && keysShown(b).stream().allMatch(k -> k.contains(text)));
  }

  /** The keys in the table, read in one step: the page redraws the table every few seconds. */
  @SuppressWarnings("unchecked")
  private static List<String> keysShown(final WebDriver browser) {
    return new ArrayList<>((List<String>) ((JavascriptExecutor) browser).executeScript(
        "return Array.from(document.querySelectorAll('#models tbody td.key'))"
            + ".map(td => td.textContent)"));
  }

  /** Clicks the table's first row, again if the page redrew it meanwhile. */
  private static void clickFirstRow(final WebDriverWait wait) {
    wait.until(b -> {
      b.findElement(By.cssSelector("#models tbody tr")).click();
      return true;
    });
  }

  private static String weights(final WebDriver browser) {
    final String summary = browser.findElement(By.id("model-summary")).getText();
    return summary.substring(summary.indexOf("w ["));
  }

  private static int points(final WebDriver browser, final String chart) {
    return number(browser.findElement(By.id(chart)), "points");
  }

  private static int number(final WebElement element, final String data) {
    final String value = element.getDomAttribute("data-" + data.replaceAll("([A-Z])", "-$1")
        .toLowerCase(Locale.ROOT));
    return value == null || value.isEmpty() ? 0 : Integer.parseInt(value);
  }

  private static List<String> severe(final WebDriver browser) {
    final List<String> errors = new ArrayList<>();
    for (final LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        errors.add(e.getMessage());
      }
    }
    return errors;
  }

  private static String find(final String output, final Pattern pattern) {
    final Matcher m = pattern.matcher(output);
    assertThat(m.find()).as("a line matching %s in:%n%s", pattern, output).isTrue();
    return m.group(1);
  }
}
