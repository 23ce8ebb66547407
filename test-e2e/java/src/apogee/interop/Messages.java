package apogee.interop;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.rocketmq.client.ClientConfig;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageClientExt;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * What every interop message looks like, so a test can name the exact set it expects:
 * index i carries user property "idx" = i, keys "<keyPrefix>-<i>", tags tags[i % tags.length]
 * and body "<bodyPrefix>-<i>" plus a non-ASCII suffix on odd indexes (UTF-8); every seventh body
 * (i % 7 == 6) is over 4 KiB, so the producer compresses it (compressMsgBodyOverHowmuch = 4096).
 */
final class Messages {
    static final String IDX = "idx";

    private Messages() {
    }

    static final int LARGE_BODY_REPEATS = 500;

    static String body(String bodyPrefix, int index) {
        StringBuilder sb = new StringBuilder(bodyPrefix).append('-').append(index);
        if (index % 2 == 1) {
            sb.append(" h\u00e9llo \u2713");
        }
        if (index % 7 == 6) {
            for (int i = 0; i < LARGE_BODY_REPEATS; i++) {
                sb.append(" apogee-").append(index);
            }
        }
        return sb.toString();
    }

    static String keys(String keyPrefix, int index) {
        return keyPrefix + "-" + index;
    }

    static String tag(String[] tags, int index) {
        return tags[index % tags.length];
    }

    static Message build(String topic, String[] tags, String keyPrefix, String bodyPrefix, int index) {
        Message msg = new Message(topic, tag(tags, index), keys(keyPrefix, index),
            body(bodyPrefix, index).getBytes(StandardCharsets.UTF_8));
        msg.putUserProperty(IDX, Integer.toString(index));
        return msg;
    }

    /** The knobs that make a client notice new routes and offsets within a second, not 30 s. */
    static void fastClient(ClientConfig config, String namesrv) {
        config.setNamesrvAddr(namesrv);
        config.setPollNameServerInterval(1_000);
        config.setHeartbeatBrokerInterval(2_000);
        config.setPersistConsumerOffsetInterval(1_000);
    }

    /** One delivered or pulled message as a JSON line. */
    static Json describe(String event, MessageExt msg) {
        String offsetMsgId = msg instanceof MessageClientExt ? ((MessageClientExt) msg).getOffsetMsgId() : msg.getMsgId();
        Map<String, String> props = msg.getProperties();
        String idx = props.get(IDX);
        return Json.event(event)
            .put("msgId", msg.getMsgId())
            .put("offsetMsgId", offsetMsgId)
            .put("topic", msg.getTopic())
            .put("tags", msg.getTags())
            .put("keys", msg.getKeys())
            .put("idx", idx == null ? -1 : Integer.parseInt(idx))
            .put("body", new String(msg.getBody(), StandardCharsets.UTF_8))
            .put("queueId", msg.getQueueId())
            .put("queueOffset", msg.getQueueOffset())
            .put("commitLogOffset", msg.getCommitLogOffset())
            .put("reconsumeTimes", msg.getReconsumeTimes())
            .put("bornTimestamp", msg.getBornTimestamp())
            .put("storeTimestamp", msg.getStoreTimestamp())
            .put("storeHost", String.valueOf(msg.getStoreHost()))
            .put("atMs", System.currentTimeMillis())
            .put("properties", props);
    }
}
