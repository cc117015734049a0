package io.understudy.core.api;

/** The {@code 202} answer to a request that starts an operation. */
public record OperationAccepted(String operationId, String kind, String configuration) {}
