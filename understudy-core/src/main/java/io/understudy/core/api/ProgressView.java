package io.understudy.core.api;

/**
 * How far the running step of an operation has got.
 *
 * @param phase the phase in words
 * @param bytesDone bytes done; 0 when not measured
 * @param bytesTotal bytes expected; 0 when not known
 */
public record ProgressView(String phase, long bytesDone, long bytesTotal) {}
