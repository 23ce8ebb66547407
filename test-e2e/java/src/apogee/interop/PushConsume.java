package apogee.interop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.consumer.listener.MessageListenerOrderly;
import org.apache.rocketmq.client.impl.consumer.ProcessQueue;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * The real rocketmq-client DefaultMQPushConsumer (PULL_MESSAGE long polling, rebalance,
 * offsets kept by the broker or, broadcasting, locally) printing every delivery.
 *
 *   --namesrv host:port --topic T --group G [--subscription '*'] [--model clustering|broadcasting]
 *   [--listener concurrent|orderly] [--name c1] [--fail idx:times,idx:times] [--from first|last]
 *   [--max-reconsume-times M] [--retry-delay-level L] [--expect N] [--grace-ms 0]
 *   [--timeout-ms 60000] [--stdin-stop false]
 *
 * Lines: {"event":"started", clientId}; {"event":"assigned", topic, queues:[...]} whenever the
 * set of queues this client pulls changes (clustering rebalance or broadcasting, incl. the
 * %RETRY% topic); {"event":"received", msgId, topic, tags, keys, idx, queueId, queueOffset,
 * reconsumeTimes, body, result, ...} per delivery; {"event":"stopped", reason, deliveries}.
 * --fail makes message idx fail while its reconsumeTimes < times (concurrent: RECONSUME_LATER
 * with delay level L, so it comes back through %RETRY%<group> and, past --max-reconsume-times,
 * goes to %DLQ%<group>; orderly: SUSPEND_CURRENT_QUEUE_A_MOMENT). Stops after --expect
 * deliveries (+ --grace-ms to catch extras; exit 0), on "stop" from stdin (exit 0), or at
 * --timeout-ms (exit 3 if --expect was not reached, else 0).
 *
 * One source for the 4.9 and 5.x clients: MessageModel moved packages
 * (common.protocol.heartbeat in 4.9, remoting.protocol.heartbeat in 5.x), so it is set by
 * reflection.
 */
public final class PushConsume {
    private PushConsume() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String topic = args.get("topic");
        String name = args.get("name", "c");
        int expect = args.getInt("expect", 0);
        long graceMs = args.getLong("grace-ms", 0);
        long timeoutMs = args.getLong("timeout-ms", 60_000);
        Map<Integer, Integer> failTimes = parseFail(args.get("fail", ""));
        int retryDelayLevel = args.getInt("retry-delay-level", 0);
        AtomicInteger deliveries = new AtomicInteger();
        StopSignal stop = new StopSignal();
        StopSignal reached = new StopSignal();

        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(args.get("group"));
        Messages.fastClient(consumer, args.get("namesrv"));
        consumer.setConsumeFromWhere(args.get("from", "first").equals("last")
            ? ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET : ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        setMessageModel(consumer, args.get("model", "clustering").equals("broadcasting") ? "BROADCASTING" : "CLUSTERING");
        if (args.has("max-reconsume-times")) {
            consumer.setMaxReconsumeTimes(args.getInt("max-reconsume-times", 16));
        }
        consumer.setSuspendCurrentQueueTimeMillis(200);
        consumer.subscribe(topic, args.get("subscription", "*"));

        Runnable counted = () -> {
            if (deliveries.incrementAndGet() == expect) {
                reached.fire("expected");
            }
        };
        if (args.get("listener", "concurrent").equals("orderly")) {
            consumer.registerMessageListener((MessageListenerOrderly) (msgs, context) -> {
                for (MessageExt msg : msgs) {
                    boolean fail = shouldFail(failTimes, msg);
                    Messages.describe("received", msg).put("consumer", name)
                        .put("result", fail ? "SUSPEND_CURRENT_QUEUE_A_MOMENT" : "SUCCESS").print();
                    counted.run();
                    if (fail) {
                        return ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT;
                    }
                }
                return ConsumeOrderlyStatus.SUCCESS;
            });
        } else {
            consumer.registerMessageListener((MessageListenerConcurrently) (msgs, context) -> {
                for (MessageExt msg : msgs) {
                    boolean fail = shouldFail(failTimes, msg);
                    Messages.describe("received", msg).put("consumer", name)
                        .put("result", fail ? "RECONSUME_LATER" : "CONSUME_SUCCESS").print();
                    counted.run();
                    if (fail) {
                        context.setDelayLevelWhenNextConsume(retryDelayLevel);
                        return ConsumeConcurrentlyStatus.RECONSUME_LATER;
                    }
                }
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
        }
        consumer.start();
        Json.event("started").put("consumer", name).put("clientId", consumer.buildMQClientId()).print();
        Thread watcher = assignmentWatcher(consumer, name, stop);
        if (Boolean.parseBoolean(args.get("stdin-stop", "false"))) {
            stop.watchStdin();
        }
        long deadline = System.currentTimeMillis() + timeoutMs;
        String reason = "timeout";
        while (System.currentTimeMillis() < deadline) {
            if (stop.isFired()) {
                reason = stop.await(0);
                break;
            }
            if (expect > 0 && reached.isFired()) {
                reason = "expected";
                stop.await(Math.min(graceMs, Math.max(0, deadline - System.currentTimeMillis())));
                break;
            }
            reached.await(50);
        }
        stop.fire(reason);
        watcher.join(1_000);
        consumer.shutdown();
        boolean ok = expect == 0 || deliveries.get() >= expect;
        Json.event("stopped").put("consumer", name).put("reason", reason).put("deliveries", deliveries.get()).print();
        if (!ok) {
            System.err.println("timed out: " + deliveries.get() + " of " + expect + " deliveries");
        }
        System.exit(ok ? 0 : 3);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void setMessageModel(DefaultMQPushConsumer consumer, String model) throws Exception {
        Class enumType = DefaultMQPushConsumer.class.getMethod("getMessageModel").getReturnType();
        DefaultMQPushConsumer.class.getMethod("setMessageModel", enumType).invoke(consumer, Enum.valueOf(enumType, model));
    }

    private static boolean shouldFail(Map<Integer, Integer> failTimes, MessageExt msg) {
        String idx = msg.getProperty(Messages.IDX);
        Integer times = idx == null ? null : failTimes.get(Integer.parseInt(idx));
        return times != null && msg.getReconsumeTimes() < times;
    }

    private static Map<Integer, Integer> parseFail(String spec) {
        Map<Integer, Integer> out = new HashMap<>();
        for (String part : spec.split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            String[] kv = part.split(":");
            out.put(Integer.parseInt(kv[0]), kv.length > 1 ? Integer.parseInt(kv[1]) : Integer.MAX_VALUE);
        }
        return out;
    }

    /**
     * Prints the queues this client is pulling (its ProcessQueue table) whenever they change, so a
     * test can wait until a group has settled before it sends.
     */
    @SuppressWarnings("deprecation")
    private static Thread assignmentWatcher(DefaultMQPushConsumer consumer, String name, StopSignal stop) {
        Thread t = new Thread(() -> {
            Map<String, TreeSet<Integer>> last = new TreeMap<>();
            while (!stop.isFired()) {
                Map<String, TreeSet<Integer>> now = new TreeMap<>();
                Map<MessageQueue, ProcessQueue> table = consumer.getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable();
                for (Map.Entry<MessageQueue, ProcessQueue> e : table.entrySet()) {
                    if (!e.getValue().isDropped()) {
                        now.computeIfAbsent(e.getKey().getTopic(), k -> new TreeSet<>()).add(e.getKey().getQueueId());
                    }
                }
                TreeSet<String> topics = new TreeSet<>(now.keySet());
                topics.addAll(last.keySet());
                for (String topic : topics) {
                    TreeSet<Integer> q = now.getOrDefault(topic, new TreeSet<>());
                    if (!q.equals(last.getOrDefault(topic, new TreeSet<>()))) {
                        List<Integer> queues = new ArrayList<>(q);
                        Json.event("assigned").put("consumer", name).put("topic", topic).putInts("queues", queues).print();
                    }
                }
                last = now;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "assignment-watcher");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
