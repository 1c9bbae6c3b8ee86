package io.tributary.support;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * WireMock's hook into the double: each stub names a route, and this computes the response from
 * the double's in-memory state instead of anything stored in the stub.
 */
final class SalesforceDoubleTransformer implements ResponseDefinitionTransformerV2 {

    static final String NAME = "salesforce-double";

    private final SalesforceDouble salesforce;

    SalesforceDoubleTransformer(SalesforceDouble salesforce) {
        this.salesforce = salesforce;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        Request request = event.getRequest();
        String url = request.getUrl();
        int query = url.indexOf('?');
        SalesforceDoubleReply reply = salesforce.handle(new SalesforceDouble.Call(
                event.getTransformerParameters().getString("route"),
                request.getMethod().getName(),
                query < 0 ? url : url.substring(0, query),
                query < 0 ? "" : url.substring(query + 1),
                header(request, "Authorization"),
                header(request, "Content-Type"),
                header(request, "Sforce-Query-Options"),
                request.getBodyAsString()));
        ResponseDefinitionBuilder response = ResponseDefinitionBuilder.responseDefinition().withStatus(reply.status());
        reply.headers().forEach(response::withHeader);
        if (reply.body() != null) {
            response.withHeader("Content-Type", reply.contentType()).withBody(reply.body());
        }
        return response.build();
    }

    private static String header(Request request, String name) {
        return request.containsHeader(name) ? request.getHeader(name) : null;
    }
}
