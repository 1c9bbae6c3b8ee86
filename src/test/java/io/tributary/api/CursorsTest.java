package io.tributary.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class CursorsTest {

    @Test
    void roundTripsPositions() {
        assertThat(Cursors.decode(Cursors.encode("billing_db"))).isEqualTo("billing_db");
        assertThat(Cursors.decodeLong(Cursors.encode("12345"))).isEqualTo(12345L);
        assertThat(Cursors.decode(null)).isNull();
        assertThat(Cursors.decodeLong("")).isZero();
    }

    @Test
    void foreignCursorsAreAValidationErrorOnTheCursorField() {
        String handMade = Base64.getUrlEncoder().encodeToString("12345".getBytes());
        for (String foreign : new String[] {"not base64!", handMade, Cursors.encode("abc")}) {
            assertThatThrownBy(() -> Cursors.decodeLong(foreign)).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status().value()).isEqualTo(422);
                assertThat(e.details().get(0)).containsEntry("field", "cursor");
            });
        }
    }

    @Test
    void limitsAreBounded() {
        assertThat(Cursors.limit(null)).isEqualTo(100);
        assertThat(Cursors.limit(1000)).isEqualTo(1000);
        assertThatThrownBy(() -> Cursors.limit(1001)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> Cursors.limit(0)).isInstanceOf(ApiException.class);
    }
}
