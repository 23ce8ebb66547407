package apogee.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.apache.rocketmq.common.BrokerConfig;
import org.apache.rocketmq.common.message.MessageAccessor;
import org.apache.rocketmq.common.message.MessageConst;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExtBrokerInner;
import org.apache.rocketmq.store.DefaultMessageStore;
import org.apache.rocketmq.store.PutMessageResult;
import org.apache.rocketmq.store.PutMessageStatus;
import org.apache.rocketmq.store.config.FlushDiskType;
import org.apache.rocketmq.store.config.MessageStoreConfig;

/**
 * Apache RocketMQ's own storage engine (DefaultMessageStore) doing what Apogee's store bench does:
 * `appenders` threads, each putting messages like the bench's (topic BenchmarkTopic, queue =
 * appender % 8, TAGS + UNIQ_KEY + WAIT, bodies of 0x61) with the blocking putMessage, as a broker
 * send thread does per request (properties string and tags code built per message). A broker
 * runs sendMessageThreadPoolNums such threads (min(4, cores) by default), however many sends are
 * in flight; each thread's encoder holds a 4 MiB direct buffer.
 *
 *   StoreBench pagecache <dir> <bodyBytes> <appenders> <seconds>  [warmupMessages settleMs]
 *   StoreBench durable   <dir> <bodyBytes> <appenders> <messages> [warmupMessages settleMs]
 *
 * A broker's JIT-compiled put path is warm: first `warmupMessages` are put into a throwaway store
 * (deleted), then `sync` runs and the program sleeps `settleMs` before the timed part.
 * pagecache: appends for `seconds`; durable: appends exactly `messages`, timed until the flushed
 * commit-log offset covers the last put. Defaults otherwise (1 GiB segments, ASYNC_FLUSH every
 * 500 ms when 4 pages are dirty). One JSON line on stdout; the store directory is deleted.
 */
public final class StoreBench {
    private static final String TOPIC = "BenchmarkTopic";
    private static final InetSocketAddress BORN_HOST = new InetSocketAddress("127.0.0.1", 51234);
    private static final InetSocketAddress STORE_HOST = new InetSocketAddress("127.0.0.1", 10911);

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path dir = Path.of(args[1]);
        int bodyBytes = Integer.parseInt(args[2]);
        int appenders = Integer.parseInt(args[3]);
        long limit = Long.parseLong(args[4]);
        boolean durable = mode.equals("durable");
        long warmupMessages = args.length > 5 ? Long.parseLong(args[5]) : 0;
        long settleMs = args.length > 6 ? Long.parseLong(args[6]) : 0;
        if (warmupMessages > 0) {
            Path warmDir = Path.of(dir + "-warmup");
            DefaultMessageStore warm = openStore(warmDir);
            byte[] warmBody = new byte[bodyBytes];
            AtomicLong next = new AtomicLong();
            Thread[] warmers = new Thread[appenders];
            for (int a = 0; a < appenders; a++) {
                final int queueId = a % 8;
                warmers[a] = new Thread(() -> {
                    long seq;
                    while ((seq = next.getAndIncrement()) < warmupMessages) warm.putMessage(message(warmBody, seq, queueId));
                });
                warmers[a].start();
            }
            for (Thread t : warmers) t.join();
            warm.shutdown();
            warm.destroy();
            deleteTree(warmDir);
            new ProcessBuilder("sync").inheritIO().start().waitFor();
        }
        if (settleMs > 0) Thread.sleep(settleMs);

        DefaultMessageStore store = openStore(dir);
        MessageStoreConfig config = store.getMessageStoreConfig();

        byte[] body = new byte[bodyBytes];
        java.util.Arrays.fill(body, (byte) 0x61);
        AtomicLong issued = new AtomicLong();
        AtomicLong puts = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong lastEnd = new AtomicLong();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        long deadline = t0 + limit * 1_000_000_000L;
        Thread[] threads = new Thread[appenders];
        for (int a = 0; a < appenders; a++) {
            final int queueId = a % 8;
            threads[a] = new Thread(() -> {
                while (true) {
                    long seq;
                    if (durable) {
                        seq = issued.getAndIncrement();
                        if (seq >= limit) return;
                    } else {
                        if (System.nanoTime() >= deadline) return;
                        seq = issued.getAndIncrement();
                    }
                    PutMessageResult r = store.putMessage(message(body, seq, queueId));
                    if (r.getPutMessageStatus() != PutMessageStatus.PUT_OK) {
                        throw new IllegalStateException("put failed: " + r.getPutMessageStatus());
                    }
                    long wrote = r.getAppendMessageResult().getWroteBytes();
                    puts.incrementAndGet();
                    bytes.addAndGet(wrote);
                    lastEnd.accumulateAndGet(r.getAppendMessageResult().getWroteOffset() + wrote, Math::max);
                }
            }, "appender-" + a);
            threads[a].start();
        }
        for (Thread t : threads) t.join();
        long tPuts = System.nanoTime();
        long msgs = puts.get();
        long tEnd = tPuts;
        String endedBy = "";
        if (durable) {
            endedBy = "interval flush";
            // Fewer than flushCommitLogLeastPages left: the interval flush waits for the thorough
            // interval (10 s); like Apogee's bench, end with a final flush instead (the one
            // shutdown makes, without shutdown's own pauses).
            long leastBytes = config.getFlushCommitLogLeastPages() * 4096L;
            while (store.getFlushedWhere() < lastEnd.get()) {
                long waitedMs = (System.nanoTime() - tPuts) / 1_000_000;
                if (lastEnd.get() - store.getFlushedWhere() < leastBytes && waitedMs > 2L * config.getFlushIntervalCommitLog()) {
                    store.getCommitLog().flush();
                    endedBy = "final flush";
                    break;
                }
                Thread.sleep(1);
            }
            tEnd = System.nanoTime();
        }
        long cpu = processCpuNanos() - cpu0;
        double seconds = (tEnd - t0) / 1e9;
        System.out.println("{\"mode\":\"" + mode + "\",\"msgs\":" + msgs + ",\"bytes\":" + bytes.get()
            + ",\"seconds\":" + seconds + ",\"putSeconds\":" + ((tPuts - t0) / 1e9)
            + ",\"msgsPerSec\":" + (msgs / seconds) + ",\"mbPerSec\":" + (bytes.get() / 1048576.0 / seconds)
            + ",\"cpuUsPerMsg\":" + (cpu / 1000.0 / msgs) + ",\"endedBy\":\"" + endedBy + "\""
            + ",\"jvm\":\"" + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()).replace("\\", "/").replace("\"", "'") + "\"}");
        store.shutdown();
        store.destroy();
        deleteTree(dir);
        System.exit(0);
    }

    /** Defaults (1 GiB segments, ASYNC_FLUSH every 500 ms when 4 pages are dirty), HA on an ephemeral port. */
    private static DefaultMessageStore openStore(Path dir) throws Exception {
        MessageStoreConfig config = new MessageStoreConfig();
        config.setStorePathRootDir(dir.toString());
        config.setStorePathCommitLog(dir.resolve("commitlog").toString());
        config.setFlushDiskType(FlushDiskType.ASYNC_FLUSH);
        config.setHaListenPort(0);
        DefaultMessageStore store = new DefaultMessageStore(config, null, null, new BrokerConfig(), new ConcurrentHashMap<>());
        if (!store.load()) throw new IllegalStateException("store load failed");
        store.start();
        return store;
    }

    private static MessageExtBrokerInner message(byte[] body, long seq, int queueId) {
        MessageExtBrokerInner msg = new MessageExtBrokerInner();
        msg.setTopic(TOPIC);
        msg.setQueueId(queueId);
        msg.setFlag(0);
        msg.setBody(body);
        Map<String, String> props = new HashMap<>();
        props.put(MessageConst.PROPERTY_TAGS, "TagA");
        String hex = Long.toHexString(seq);
        props.put(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX, "7F00000100002A9F0000000" + "000000000".substring(Math.min(9, hex.length())) + hex);
        props.put(MessageConst.PROPERTY_WAIT_STORE_MSG_OK, "true");
        msg.setPropertiesString(MessageDecoder.messageProperties2String(props));
        MessageAccessor.setProperties(msg, props);
        msg.setTagsCode(MessageExtBrokerInner.tagsString2tagsCode("TagA"));
        msg.setSysFlag(0);
        msg.setBornTimestamp(System.currentTimeMillis());
        msg.setBornHost(BORN_HOST);
        msg.setStoreHost(STORE_HOST);
        msg.setReconsumeTimes(0);
        return msg;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
