package io.understudy.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {

    @Test
    void parsesHostsAndBracketedIpv6() {
        assertThat(HostPort.parse("127.0.0.1:7801")).isEqualTo(new HostPort("127.0.0.1", 7801));
        assertThat(HostPort.parse("[::1]:7800")).isEqualTo(new HostPort("::1", 7800));
        assertThat(new HostPort("::1", 7800)).hasToString("[::1]:7800");
    }

    @Test
    void refusesWhatIsNotHostColonPort() {
        assertThatThrownBy(() -> HostPort.parse("7801")).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> HostPort.parse("::1:7800")).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> HostPort.parse("host:http")).hasMessageContaining("numeric port");
        assertThatThrownBy(() -> HostPort.parse("host:70000")).hasMessageContaining("0-65535");
    }
}
