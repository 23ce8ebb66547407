package apogee.peers;

import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * Sends the SampleMessages set with the real rocketmq-client DefaultMQProducer and prints one
 * JSON line per message ("event":"sent") with what was sent and what the broker answered.
 *
 *   --namesrv host:port --topic T --group G --count N [--broker broker-a --queue 0]
 *
 * With --broker and --queue every message goes to that queue (send(msg, MessageQueue)), so one
 * pull returns them all; without, the producer picks queues itself. Exit 0 when all were SEND_OK.
 */
public final class SendMessages {
    private SendMessages() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String topic = args.get("topic");
        int count = args.getInt("count", 3);
        String brokerName = args.get("broker", null);
        int queueId = args.getInt("queue", -1);

        DefaultMQProducer producer = new DefaultMQProducer(args.get("group"));
        producer.setNamesrvAddr(args.get("namesrv"));
        producer.setSendMsgTimeout(10_000);
        producer.start();
        int failures = 0;
        try {
            for (int i = 0; i < count; i++) {
                Message msg = SampleMessages.build(topic, i);
                SendResult result = brokerName != null && queueId >= 0
                    ? producer.send(msg, new MessageQueue(topic, brokerName, queueId))
                    : producer.send(msg);
                if (!"SEND_OK".equals(result.getSendStatus().name())) {
                    failures++;
                }
                new JsonLine()
                    .put("event", "sent")
                    .put("index", i)
                    .put("topic", topic)
                    .put("tags", SampleMessages.tags(i))
                    .put("keys", SampleMessages.keys(i))
                    .put("bodyText", SampleMessages.bodyText(i))
                    .put("userProperties", msg.getProperties().containsKey("color")
                        ? java.util.Collections.singletonMap("color", "blue")
                        : java.util.Collections.<String, String>emptyMap())
                    .put("sendStatus", result.getSendStatus().name())
                    .put("msgId", result.getMsgId())
                    .put("offsetMsgId", result.getOffsetMsgId())
                    .put("brokerName", result.getMessageQueue().getBrokerName())
                    .put("queueId", result.getMessageQueue().getQueueId())
                    .put("queueOffset", result.getQueueOffset())
                    .print();
            }
        } finally {
            producer.shutdown();
        }
        System.exit(failures == 0 ? 0 : 1);
    }
}
