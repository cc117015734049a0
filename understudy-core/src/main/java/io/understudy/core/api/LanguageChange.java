package io.understudy.core.api;

/**
 * Body of {@code PUT /api/v1/users/{name}/language}.
 *
 * @param language {@code en} (English) or {@code ja} (Japanese)
 */
public record LanguageChange(String language) {}
