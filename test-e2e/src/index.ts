// Public API of @apogee/test-e2e: the Java-peer harness for interop tests and benchmarks.
export { JAVA_PEER_VERSIONS, SERVER_VERSION_OF, type JavaPeerVersion, type JavaPeers, fetchJavaPeers, javaPeersLayout, checkJavaPrerequisites, type Prerequisites } from './java-peers.js';
export { JavaProcess, type JavaExit, describeExit, killOnExit } from './java-process.js';
export { startJavaNamesrv, type JavaNamesrv, type JavaNamesrvOptions } from './java-namesrv.js';
export { startJavaBroker, type JavaBroker, type JavaBrokerOptions } from './java-broker.js';
export { runJavaMain, jsonLines, type RunJavaMainOptions, type JavaRunResult } from './run-java-main.js';
export { compileJava, PEER_PROGRAM_SOURCES, type JavaLib } from './compile-java.js';
export { FrameRecorder, type RecordedFrame, type FrameRecorderOptions, type FrameDirection } from './frame-recorder.js';
export { peekFrame, encodeJsonRequestFrame, type PeekedCommand } from './frame-peek.js';
export { rawRequest, waitForBrokerRegistration } from './raw-request.js';
export { peerPorts, assertPortsFree, LOOPBACK_HOST, type PeerPorts } from './ports.js';
export { JAVA_WORK_DIR, REPO_ROOT, TEST_E2E_DIR } from './paths.js';
