package apogee.peers;

import java.nio.charset.StandardCharsets;
import org.apache.rocketmq.common.message.Message;

/**
 * The fixed message set the harness sends, so tests know what to expect. Three shapes repeat:
 * index % 3 == 0: tags TagA, two keys, an ASCII body and a user property;
 * index % 3 == 1: tags TagB, one key, a non-ASCII UTF-8 body;
 * index % 3 == 2: tags TagA, no keys, a body over 4096 bytes, which the producer compresses.
 */
final class SampleMessages {
    /** The producer compresses bodies above compressMsgBodyOverHowmuch (4096 bytes by default). */
    static final int LARGE_BODY_REPEATS = 700;

    private SampleMessages() {
    }

    static String tags(int index) {
        return index % 3 == 1 ? "TagB" : "TagA";
    }

    static String keys(int index) {
        switch (index % 3) {
            case 0: return "order-" + index + " customer-7";
            case 1: return "order-" + index;
            default: return "";
        }
    }

    static String bodyText(int index) {
        switch (index % 3) {
            case 0: return "hello apogee #" + index;
            case 1: return "h\u00e9llo w\u00f6rld \u2713 #" + index;
            default:
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < LARGE_BODY_REPEATS; i++) {
                    sb.append("apogee-").append(index).append(' ');
                }
                return sb.toString();
        }
    }

    static Message build(String topic, int index) {
        Message msg = new Message(topic, tags(index), keys(index), bodyText(index).getBytes(StandardCharsets.UTF_8));
        if (index % 3 == 0) {
            msg.putUserProperty("color", "blue");
        }
        return msg;
    }
}
