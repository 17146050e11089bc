package io.keyhook.common.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Puts this service's {@link ServiceToken} on a call ({@code @RegisterProvider(ServiceTokenFilter.class)} with
 * {@link ServiceCall}, whose interceptor made sure one is held).
 */
@ApplicationScoped
public class ServiceTokenFilter implements ClientRequestFilter {

    @Inject
    ServiceToken token;

    @Override
    public void filter(ClientRequestContext request) {
        String bearer = token.bearer();
        if (bearer != null) {
            request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, bearer);
        }
    }
}
