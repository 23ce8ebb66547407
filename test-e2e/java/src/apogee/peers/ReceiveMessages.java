package apogee.peers;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageClientExt;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * Receives with the real rocketmq-client DefaultMQPushConsumer (PULL_MESSAGE, long polling) and
 * prints one JSON line per distinct message ("event":"received") with the fields the harness
 * checks. Stops after --count distinct messages (exit 0) or after --timeout-ms (exit 3).
 *
 *   --namesrv host:port --topic T --group G --count N [--timeout-ms 60000]
 */
public final class ReceiveMessages {
    private ReceiveMessages() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int count = args.getInt("count", 3);
        long timeoutMs = args.getInt("timeout-ms", 60_000);
        Map<String, Boolean> seen = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(count);

        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(args.get("group"));
        consumer.setNamesrvAddr(args.get("namesrv"));
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.subscribe(args.get("topic"), "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, context) -> {
            for (MessageExt msg : msgs) {
                if (seen.putIfAbsent(msg.getMsgId(), Boolean.TRUE) == null) {
                    print(msg);
                    done.countDown();
                }
            }
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        boolean complete = done.await(timeoutMs, TimeUnit.MILLISECONDS);
        consumer.shutdown();
        if (!complete) {
            System.err.println("timed out: received " + seen.size() + " of " + count);
        }
        System.exit(complete ? 0 : 3);
    }

    private static void print(MessageExt msg) {
        String offsetMsgId = msg instanceof MessageClientExt ? ((MessageClientExt) msg).getOffsetMsgId() : msg.getMsgId();
        new JsonLine()
            .put("event", "received")
            .put("msgId", msg.getMsgId())
            .put("offsetMsgId", offsetMsgId)
            .put("topic", msg.getTopic())
            .put("tags", msg.getTags())
            .put("keys", msg.getKeys())
            .put("bodyText", new String(msg.getBody(), StandardCharsets.UTF_8))
            .put("queueId", msg.getQueueId())
            .put("queueOffset", msg.getQueueOffset())
            .put("commitLogOffset", msg.getCommitLogOffset())
            .put("sysFlag", msg.getSysFlag())
            .put("bodyCRC", msg.getBodyCRC())
            .put("storeHost", msg.getStoreHost().toString())
            .put("bornHost", msg.getBornHost().toString())
            .put("bornTimestamp", msg.getBornTimestamp())
            .put("storeTimestamp", msg.getStoreTimestamp())
            .put("reconsumeTimes", msg.getReconsumeTimes())
            .put("properties", msg.getProperties())
            .print();
    }
}
