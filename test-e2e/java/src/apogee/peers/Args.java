package apogee.peers;

import java.util.HashMap;
import java.util.Map;

/** "--name value" pairs; a missing required option stops the program with exit code 2. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] argv) {
        for (int i = 0; i + 1 < argv.length; i += 2) {
            if (!argv[i].startsWith("--")) {
                fail("expected an option name, got '" + argv[i] + "'");
            }
            values.put(argv[i].substring(2), argv[i + 1]);
        }
        if (argv.length % 2 != 0) {
            fail("option '" + argv[argv.length - 1] + "' has no value");
        }
    }

    String get(String name) {
        String v = values.get(name);
        if (v == null) {
            fail("missing option --" + name);
        }
        return v;
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int getInt(String name, int fallback) {
        String v = values.get(name);
        return v == null ? fallback : Integer.parseInt(v);
    }

    static void fail(String message) {
        System.err.println("usage error: " + message);
        System.exit(2);
    }
}
