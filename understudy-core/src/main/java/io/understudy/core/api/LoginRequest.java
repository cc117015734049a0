package io.understudy.core.api;

import io.understudy.core.protocol.Secret;

/** Body of {@code POST /api/v1/login}. */
public record LoginRequest(String user, Secret password) {}
