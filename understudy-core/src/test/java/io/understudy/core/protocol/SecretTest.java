package io.understudy.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.core.api.LoginRequest;
import io.understudy.core.json.Json;
import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void recordsHoldingASecretNeverPrintIt() {
        var request = new LoginRequest("admin", Secret.of("hunter2"));
        assertThat(request.toString()).doesNotContain("hunter2").contains(Secret.MASK);
    }

    @Test
    void travelsInClearOnlyInJson() throws Exception {
        var mapper = Json.mapper();
        String json = mapper.writeValueAsString(new LoginRequest("admin", Secret.of("hunter2")));
        assertThat(json).isEqualTo("{\"user\":\"admin\",\"password\":\"hunter2\"}");
        assertThat(mapper.readValue(json, LoginRequest.class).password().reveal())
                .isEqualTo("hunter2");
    }
}
