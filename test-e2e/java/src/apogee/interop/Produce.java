package apogee.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.MessageQueueSelector;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageClientIDSetter;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * Sends with the real rocketmq-client DefaultMQProducer and prints one JSON line per message.
 *
 *   --namesrv host:port --topic T --group G --plan sync:3,async:3,oneway:2,batch:4,delayed:2,ordered:9,load:500
 *   [--tags TagA,TagB] [--key-prefix K] [--body-prefix B] [--first-index 0] [--delay-level 1]
 *   [--orders 3] [--retries 2] [--send-timeout-ms 5000] [--interval-ms 0] [--attempt-deadline-ms 60000]
 *
 * Message i (indexes count up across the plan from --first-index) is Messages.build(..., i).
 * Modes: sync send(msg); async send(msg, callback), all awaited; oneway sendOneway(msg); batch one
 * send(List) of all the step's messages; delayed sync with setDelayTimeLevel; ordered
 * send(msg, selector, orderId) with orderId = i % orders, step = i / orders, selector =
 * queues[orderId % queues.size()]; load sync sends that retry each message (every failure printed
 * as "send-error") until SEND_OK or --attempt-deadline-ms, for broker-crash tests.
 * Lines: {"event":"sent", index, mode, status, msgId, offsetMsgId, brokerName, queueId,
 * queueOffset, ...} or {"event":"send-failed", index, mode, error}. Step "await:1" prints
 * {"event":"awaiting"} and blocks until the harness writes a "go" line to stdin. Exit 0 when every message was
 * acknowledged (SEND_OK; oneway counts as sent), 1 otherwise.
 */
public final class Produce {
    private static final java.io.BufferedReader STDIN =
        new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
    private final Args args;
    private final String topic;
    private final String[] tags;
    private final String keyPrefix;
    private final String bodyPrefix;
    private final DefaultMQProducer producer;
    private final AtomicInteger failures = new AtomicInteger();
    private final long asyncWaitMs;

    private Produce(Args args) {
        this.args = args;
        this.topic = args.get("topic");
        this.tags = args.get("tags", "TagA").split(",");
        this.keyPrefix = args.get("key-prefix", topic);
        this.bodyPrefix = args.get("body-prefix", "body");
        this.producer = new DefaultMQProducer(args.get("group"));
        Messages.fastClient(producer, args.get("namesrv"));
        int sendTimeoutMs = args.getInt("send-timeout-ms", 5_000);
        producer.setSendMsgTimeout(sendTimeoutMs);
        producer.setRetryTimesWhenSendFailed(args.getInt("retries", 2));
        producer.setRetryTimesWhenSendAsyncFailed(args.getInt("retries", 2));
        this.asyncWaitMs = 4L * sendTimeoutMs + 10_000;
    }

    public static void main(String[] argv) throws Exception {
        Produce p = new Produce(new Args(argv));
        p.producer.start();
        try {
            p.run();
        } finally {
            p.producer.shutdown();
        }
        System.exit(p.failures.get() == 0 ? 0 : 1);
    }

    private void run() throws Exception {
        int index = args.getInt("first-index", 0);
        for (String step : args.get("plan").split(",")) {
            String[] parts = step.split(":");
            if (parts.length != 2) {
                Args.fail("plan step '" + step + "' is not mode:count");
            }
            String mode = parts[0];
            int count = Integer.parseInt(parts[1]);
            switch (mode) {
                case "sync":
                case "delayed":
                case "ordered":
                    for (int i = 0; i < count; i++) {
                        sendSync(mode, index++);
                    }
                    break;
                case "async":
                    sendAsync(index, count);
                    index += count;
                    break;
                case "oneway":
                    for (int i = 0; i < count; i++) {
                        Message msg = message(index);
                        producer.sendOneway(msg);
                        sentLine("oneway", index++, msg, "ONEWAY").put("msgId", MessageClientIDSetter.getUniqID(msg)).print();
                    }
                    break;
                case "batch":
                    sendBatch(index, count);
                    index += count;
                    break;
                case "await":
                    // a pause the harness ends with a "go" line on stdin (e.g. after consumers settled)
                    Json.event("awaiting").put("index", index).print();
                    String line = STDIN.readLine();
                    if (line == null || !line.trim().equals("go")) {
                        Args.fail("expected 'go' on stdin, got " + line);
                    }
                    break;
                case "load":
                    long intervalMs = args.getLong("interval-ms", 0);
                    for (int i = 0; i < count; i++) {
                        sendUntilAcknowledged(index++);
                        if (intervalMs > 0) {
                            Thread.sleep(intervalMs);
                        }
                    }
                    break;
                default:
                    Args.fail("unknown mode '" + mode + "'");
            }
        }
        Json.event("done").put("failures", failures.get()).print();
    }

    private Message message(int index) {
        return Messages.build(topic, tags, keyPrefix, bodyPrefix, index);
    }

    private void sendSync(String mode, int index) {
        Message msg = message(index);
        try {
            SendResult result;
            if (mode.equals("delayed")) {
                msg.setDelayTimeLevel(args.getInt("delay-level", 1));
                result = producer.send(msg);
            } else if (mode.equals("ordered")) {
                int orders = args.getInt("orders", 3);
                int orderId = index % orders;
                msg.putUserProperty("orderId", Integer.toString(orderId));
                msg.putUserProperty("step", Integer.toString(index / orders));
                MessageQueueSelector selector = (mqs, m, arg) -> mqs.get((Integer) arg % mqs.size());
                result = producer.send(msg, selector, orderId);
            } else {
                result = producer.send(msg);
            }
            printResult(mode, index, msg, result);
        } catch (Exception e) {
            printFailure(mode, index, e);
        }
    }

    private void sendAsync(int first, int count) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            final int index = first + i;
            final Message msg = message(index);
            try {
                producer.send(msg, new SendCallback() {
                    @Override
                    public void onSuccess(SendResult result) {
                        printResult("async", index, msg, result);
                        done.countDown();
                    }

                    @Override
                    public void onException(Throwable e) {
                        printFailure("async", index, e);
                        done.countDown();
                    }
                });
            } catch (Exception e) {
                printFailure("async", index, e);
                done.countDown();
            }
        }
        if (!done.await(asyncWaitMs, TimeUnit.MILLISECONDS)) {
            failures.addAndGet((int) done.getCount());
            Json.event("async-timeout").put("missing", done.getCount()).print();
        }
    }

    /** One SEND_BATCH_MESSAGE; the result names every id, comma-joined, and the first offset. */
    private void sendBatch(int first, int count) {
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(message(first + i));
        }
        try {
            SendResult result = producer.send(batch);
            String[] ids = result.getMsgId().split(",");
            String[] offsetIds = result.getOffsetMsgId() == null ? new String[0] : result.getOffsetMsgId().split(",");
            boolean ok = result.getSendStatus().name().equals("SEND_OK");
            if (!ok) {
                failures.incrementAndGet();
            }
            for (int i = 0; i < count; i++) {
                sentLine("batch", first + i, batch.get(i), result.getSendStatus().name())
                    .put("msgId", i < ids.length ? ids[i] : null)
                    .put("offsetMsgId", i < offsetIds.length ? offsetIds[i] : null)
                    .put("brokerName", result.getMessageQueue().getBrokerName())
                    .put("queueId", result.getMessageQueue().getQueueId())
                    .put("queueOffset", result.getQueueOffset() + i)
                    .put("batchMsgId", result.getMsgId())
                    .put("batchQueueOffset", result.getQueueOffset())
                    .print();
            }
        } catch (Exception e) {
            for (int i = 0; i < count; i++) {
                printFailure("batch", first + i, e);
            }
        }
    }

    private void sendUntilAcknowledged(int index) throws InterruptedException {
        long deadline = System.currentTimeMillis() + args.getLong("attempt-deadline-ms", 60_000);
        Message msg = message(index);
        for (int attempt = 1; ; attempt++) {
            try {
                SendResult result = producer.send(msg);
                if (result.getSendStatus().name().equals("SEND_OK")) {
                    printResult("load", index, msg, result);
                    return;
                }
                Json.event("send-error").put("index", index).put("attempt", attempt).put("error", "status " + result.getSendStatus().name())
                    .put("msgId", result.getMsgId()).print();
            } catch (Exception e) {
                Json.event("send-error").put("index", index).put("attempt", attempt).put("error", describe(e)).print();
            }
            if (System.currentTimeMillis() >= deadline) {
                printFailure("load", index, new IllegalStateException("gave up after " + attempt + " attempts"));
                return;
            }
            Thread.sleep(200);
        }
    }

    private Json sentLine(String mode, int index, Message msg, String status) {
        return Json.event("sent")
            .put("index", index)
            .put("mode", mode)
            .put("topic", topic)
            .put("tags", msg.getTags())
            .put("keys", msg.getKeys())
            .put("status", status)
            .put("delayLevel", msg.getDelayTimeLevel())
            .put("atMs", System.currentTimeMillis());
    }

    private void printResult(String mode, int index, Message msg, SendResult result) {
        String status = result.getSendStatus().name();
        if (!status.equals("SEND_OK")) {
            failures.incrementAndGet();
        }
        Json line = sentLine(mode, index, msg, status)
            .put("msgId", result.getMsgId())
            .put("offsetMsgId", result.getOffsetMsgId())
            .put("brokerName", result.getMessageQueue().getBrokerName())
            .put("queueId", result.getMessageQueue().getQueueId())
            .put("queueOffset", result.getQueueOffset());
        String orderId = msg.getProperty("orderId");
        if (orderId != null) {
            line.put("orderId", Integer.parseInt(orderId)).put("step", Integer.parseInt(msg.getProperty("step")));
        }
        line.print();
    }

    private void printFailure(String mode, int index, Throwable e) {
        failures.incrementAndGet();
        Json.event("send-failed").put("index", index).put("mode", mode).put("error", describe(e)).print();
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 2_000; t = t.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getName()).append(": ").append(t.getMessage());
            if (t.getCause() == t) {
                break;
            }
        }
        return sb.toString();
    }
}
