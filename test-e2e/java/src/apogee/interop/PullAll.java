package apogee.interop;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * Reads a whole topic with DefaultMQPullConsumer (plain PULL_MESSAGE, no rebalance, no offset
 * commits): every queue from offset 0 until --expect messages were seen, then one more pass to
 * catch extras. Used as the DLQ checker (--topic %DLQ%<group>).
 *
 *   --namesrv host:port --topic T --group G [--expect N] [--timeout-ms 30000]
 *
 * Lines: {"event":"pulled", ...Messages.describe} per message, {"event":"done", count}.
 * Exit 0 when at least --expect were seen, 3 otherwise. A topic without a route yet (the broker
 * creates %DLQ% topics on the first dead message) is retried every 200 ms until the deadline.
 */
public final class PullAll {
    private PullAll() {
    }

    @SuppressWarnings("deprecation")
    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String topic = args.get("topic");
        int expect = args.getInt("expect", 0);
        long deadline = System.currentTimeMillis() + args.getLong("timeout-ms", 30_000);
        DefaultMQPullConsumer consumer = new DefaultMQPullConsumer(args.get("group"));
        Messages.fastClient(consumer, args.get("namesrv"));
        consumer.start();
        Map<MessageQueue, Long> next = new HashMap<>();
        int count = 0;
        boolean finalPass = false;
        try {
            while (true) {
                int before = count;
                try {
                    Set<MessageQueue> mqs = consumer.fetchSubscribeMessageQueues(topic);
                    for (MessageQueue mq : mqs) {
                        while (true) {
                            long offset = next.getOrDefault(mq, 0L);
                            PullResult r = consumer.pull(mq, "*", offset, 32);
                            next.put(mq, r.getNextBeginOffset());
                            if (r.getPullStatus() != PullStatus.FOUND) {
                                break;
                            }
                            for (MessageExt msg : r.getMsgFoundList()) {
                                Messages.describe("pulled", msg).print();
                                count++;
                            }
                        }
                    }
                } catch (Exception e) {
                    Json.event("pull-error").put("error", Produce.describe(e)).print();
                }
                if (finalPass || System.currentTimeMillis() >= deadline) {
                    break;
                }
                if (count >= expect && count == before) {
                    finalPass = true;
                } else if (count >= expect) {
                    continue;
                }
                Thread.sleep(200);
            }
        } finally {
            consumer.shutdown();
        }
        Json.event("done").put("count", count).print();
        System.exit(count >= expect ? 0 : 3);
    }
}
