package io.durableflows.api.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A main class of ours in its own JVM, on the test classpath, so a test can SIGKILL it. */
public final class JavaProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final String name;

  private JavaProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  public static JavaProcess start(String name, Class<?> mainClass, Map<String, String> env, String... args) throws IOException {
    Path log = Files.createTempFile("df-" + name + "-", ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(classpath());
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .directory(new File("."));
    pb.environment().putAll(env);
    return new JavaProcess(name, pb.start(), log);
  }

  /**
   * This JVM's classpath: the system one under surefire, the plugin's class loader's under {@code exec:java} (the
   * benchmark), where {@code java.class.path} names Maven's own jars.
   */
  private static String classpath() {
    if (Thread.currentThread().getContextClassLoader() instanceof java.net.URLClassLoader loader
        && loader.getURLs().length > 0) {
      List<String> entries = new ArrayList<>();
      for (java.net.URL url : loader.getURLs()) {
        try {
          entries.add(Path.of(url.toURI()).toString());
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
          // not a file: cannot be on a command-line classpath
        }
      }
      return String.join(File.pathSeparator, entries);
    }
    return System.getProperty("java.class.path");
  }

  /** Waits until the process prints {@code line}; fails with its log if it dies or takes too long. */
  public JavaProcess awaitLog(String line, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.readString(log).contains(line)) return this;
      if (!process.isAlive()) throw new AssertionError(name + " exited:\n" + tail());
      Thread.sleep(100);
    }
    throw new AssertionError(name + " did not print '" + line + "' in " + timeout + ":\n" + tail());
  }

  /** SIGKILL: no shutdown hooks, no graceful drain — a crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** The last 4,000 characters of the process's output (stdout and stderr), killed or not. */
  public String tail() throws IOException {
    String all = Files.readString(log);
    return all.length() > 4000 ? all.substring(all.length() - 4000) : all;
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) kill();
  }
}
