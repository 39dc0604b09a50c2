package io.longrun.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Debian's headless Chromium, to open an HTML report as a person would and read back what its scripts drew. A
 * machine without it fails the test, with the command that installs it: a report nobody opened is not tested.
 */
public final class Chromium {
    private static final Pattern CHART = Pattern.compile("<div class=\"chart\"[^>]*>");
    private static final Pattern ATTR = Pattern.compile("([a-zA-Z][\\w-]*)=\"([^\"]*)\"");

    private Chromium() {}

    /** The path of the browser; fails when it is not installed. */
    public static Path binary() {
        return Tools.CHROMIUM.require();
    }

    /** The DOM after the page's scripts ran (virtual time lets them finish). */
    public static String dumpDom(Path html, Path work) throws IOException, InterruptedException {
        return run(work, null, List.of("--dump-dom", html.toUri().toString()));
    }

    /** The DOM after the page's scripts ran in a browser whose local time zone is {@code zone} (TZ, e.g. Asia/Kolkata). */
    public static String dumpDom(Path html, Path work, String zone) throws IOException, InterruptedException {
        return run(work, zone, List.of("--dump-dom", html.toUri().toString()));
    }

    /**
     * The browser's own offset from UTC in zone {@code zone}, in minutes east of UTC, as its scripts see it: proof
     * that a test's zone reached the page.
     */
    public static int offsetMinutes(Path work, String zone) throws IOException, InterruptedException {
        Path page = work.resolve("zone.html");
        Files.writeString(page, "<html><body><script>document.body.dataset.offset = -new Date(Date.UTC(2026, 0, 5, 10)).getTimezoneOffset();"
                + "</script></body></html>");
        Matcher m = Pattern.compile("data-offset=\"(-?\\d+)\"").matcher(dumpDom(page, work, zone));
        if (!m.find()) throw new AssertionError("the zone page wrote no offset");
        return Integer.parseInt(m.group(1));
    }

    /** A PNG of the page, {@code width} × {@code height} CSS pixels. */
    public static BufferedImage screenshot(Path html, Path work, int width, int height) throws IOException, InterruptedException {
        Path png = work.resolve("screenshot.png");
        run(work, null, List.of("--hide-scrollbars", "--window-size=" + width + "," + height, "--screenshot=" + png, html.toUri().toString()));
        BufferedImage img = ImageIO.read(png.toFile());
        if (img == null) throw new AssertionError("chromium wrote no readable screenshot at " + png);
        return img;
    }

    /** Each {@code div.chart}'s attributes (id, data-points, data-ink, …), in page order. */
    public static List<Map<String, String>> charts(String dom) {
        List<Map<String, String>> out = new ArrayList<>();
        Matcher m = CHART.matcher(dom);
        while (m.find()) {
            Map<String, String> attrs = new LinkedHashMap<>();
            Matcher a = ATTR.matcher(m.group());
            while (a.find()) attrs.put(a.group(1), a.group(2));
            out.add(attrs);
        }
        return out;
    }

    /** Pixels within a small distance of an RGB colour. */
    public static int pixelsNear(BufferedImage img, int rgb) {
        int r = rgb >> 16 & 255, g = rgb >> 8 & 255, b = rgb & 255, n = 0;
        for (int y = 0; y < img.getHeight(); y++)
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                if (Math.abs((p >> 16 & 255) - r) + Math.abs((p >> 8 & 255) - g) + Math.abs((p & 255) - b) < 60) n++;
            }
        return n;
    }

    private static String run(Path work, String zone, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary().toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--user-data-dir=" + work.resolve("chromium-profile"), "--virtual-time-budget=10000"));
        cmd.addAll(args);
        Path out = work.resolve("chromium.out"), err = work.resolve("chromium.err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (zone != null) pb.environment().put("TZ", zone);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 120 s: " + cmd);
        }
        if (p.exitValue() != 0)
            throw new AssertionError("chromium exited " + p.exitValue() + ": " + Files.readString(err, StandardCharsets.UTF_8));
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
