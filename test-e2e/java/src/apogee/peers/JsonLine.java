package apogee.peers;

import java.util.Map;

/**
 * Builds one line of JSON for the harness to read from stdout. Hand-written so the programs do
 * not depend on whichever JSON library a RocketMQ version happens to bundle.
 */
final class JsonLine {
    private final StringBuilder out = new StringBuilder("{");

    JsonLine put(String key, String value) {
        comma();
        quote(key);
        out.append(':');
        if (value == null) {
            out.append("null");
        } else {
            quote(value);
        }
        return this;
    }

    JsonLine put(String key, long value) {
        comma();
        quote(key);
        out.append(':').append(value);
        return this;
    }

    JsonLine put(String key, Map<String, String> value) {
        comma();
        quote(key);
        out.append(":{");
        boolean first = true;
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(value).entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            quote(e.getKey());
            out.append(':');
            quote(e.getValue());
        }
        out.append('}');
        return this;
    }

    /** Prints the line and flushes, so a harness waiting on stdout sees it at once. */
    void print() {
        out.append('}');
        System.out.println(out);
        System.out.flush();
    }

    private void comma() {
        if (out.length() > 1) {
            out.append(',');
        }
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
