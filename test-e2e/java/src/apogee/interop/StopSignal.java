package apogee.interop;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ends a long-running program: a "stop" line on stdin (or stdin closing, so a dead harness never
 * leaves the JVM behind), the program's own completion, or its deadline, whichever comes first.
 */
final class StopSignal {
    private final CountDownLatch latch = new CountDownLatch(1);
    private volatile String reason = "timeout";

    /** Starts the stdin watcher; only when the harness keeps stdin open (--stdin-stop true). */
    void watchStdin() {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.trim().equals("stop")) {
                        fire("stdin-stop");
                        return;
                    }
                }
                fire("stdin-closed");
            } catch (Exception e) {
                fire("stdin-error");
            }
        }, "stdin-stop");
        t.setDaemon(true);
        t.start();
    }

    void fire(String why) {
        if (latch.getCount() > 0) {
            reason = why;
            latch.countDown();
        }
    }

    /** Waits until fired or the time is up; returns the reason ("timeout" when nothing fired). */
    String await(long timeoutMs) throws InterruptedException {
        latch.await(timeoutMs, TimeUnit.MILLISECONDS);
        return reason;
    }

    boolean isFired() {
        return latch.getCount() == 0;
    }
}
