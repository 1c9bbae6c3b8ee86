package io.tributary.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.ingest.IngestRecord;
import io.tributary.support.Api;
import io.tributary.support.StripeEvents;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StripeEventMapperTest {

    private static final UUID WORKSPACE = UUID.randomUUID();
    private static final UUID INTEGRATION = UUID.randomUUID();
    private static final long CREATED = 1_732_000_000L;

    @Test
    void theObjectTypeIsTheCarriedObjectsOwnType() throws Exception {
        String[][] cases = {
                {"customer.created", "customer", "customer"},
                {"customer.subscription.updated", "subscription", "subscription"},
                {"invoice.paid", "invoice", "invoice"},
                {"charge.succeeded", "charge", "charge"},
                {"payment_intent.succeeded", "payment_intent", "payment_intent"},
                {"product.updated", "product", "product"},
                {"price.created", "price", "price"},
                {"charge.dispute.created", "dispute", "dispute"},
        };
        for (String[] c : cases) {
            ObjectNode object = StripeEvents.object(c[1]);
            IngestRecord record = map(StripeEvents.event(c[0], object, CREATED));

            assertThat(record.objectType()).as(c[0]).isEqualTo(c[2]);
            assertThat(record.objectId()).isEqualTo(object.get("id").asText());
            assertThat(Api.JSON.readTree(record.payloadJson())).isEqualTo(object);
            assertThat(record.system()).isEqualTo("stripe");
            assertThat(record.integrationId()).isEqualTo(INTEGRATION);
            assertThat(record.workspaceId()).isEqualTo(WORKSPACE);
            assertThat(record.updatedAt()).isEqualTo(Instant.ofEpochSecond(CREATED));
            assertThat(record.deleted()).isFalse();
        }
    }

    @Test
    void nestedEventFamiliesMapToTheirObject() {
        ObjectNode discount = Api.JSON.createObjectNode().put("id", "di_1").put("object", "discount")
                .put("customer", "cus_QXg1o8vcGmoR32");
        ObjectNode taxId = Api.JSON.createObjectNode().put("id", "txi_1").put("object", "tax_id").put("type", "eu_vat");
        assertThat(map(StripeEvents.event("customer.discount.created", discount, CREATED)).objectType())
                .isEqualTo("discount");
        assertThat(map(StripeEvents.event("customer.tax_id.created", taxId, CREATED)).objectType()).isEqualTo("tax_id");
    }

    @Test
    void deletedEventsMarkTheRecordDeleted() {
        IngestRecord record = map(StripeEvents.event("customer.deleted", StripeEvents.object("deleted_customer"),
                CREATED));
        assertThat(record.deleted()).isTrue();
        assertThat(record.objectId()).isEqualTo("cus_QXg1o8vcGmoR32");
        assertThat(map(StripeEvents.event("product.deleted", StripeEvents.object("product"), CREATED)).deleted())
                .isTrue();
    }

    @Test
    void anObjectWithoutIdOrTypeCannotBeMapped() {
        ObjectNode noId = StripeEvents.object("customer");
        noId.remove("id");
        ObjectNode noType = StripeEvents.object("customer");
        noType.remove("object");
        assertThatThrownBy(() -> map(StripeEvents.event("customer.created", noId, CREATED)))
                .isInstanceOf(StripeEventMapper.UnmappableEvent.class).hasMessage("data.object has no id");
        assertThatThrownBy(() -> map(StripeEvents.event("customer.created", noType, CREATED)))
                .isInstanceOf(StripeEventMapper.UnmappableEvent.class).hasMessageContaining("type");
    }

    private static IngestRecord map(ObjectNode event) {
        WebhookEvent stored = new WebhookEvent(1, WORKSPACE, INTEGRATION, event.get("id").asText(),
                event.get("type").asText(), Instant.ofEpochSecond(CREATED), event.toString(), "received", 0, null,
                Instant.now(), null);
        return StripeEventMapper.toRecord(stored);
    }
}
