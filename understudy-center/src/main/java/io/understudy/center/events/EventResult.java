package io.understudy.center.events;

/** How an event turned out. The names are part of the API ({@code EventView.result}). */
public enum EventResult {
    /** An action that succeeded. */
    OK,
    /** An action that was refused or failed. */
    FAILED,
    /** An observation: something changed, nobody did it. */
    INFO
}
