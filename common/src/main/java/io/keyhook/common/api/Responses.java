package io.keyhook.common.api;

import java.net.URI;

import org.jboss.resteasy.reactive.RestResponse;

/** Small response helpers shared by the resources of every service. */
public final class Responses {

    private Responses() {
    }

    /** 201 Created with a Location header and the created object as the body. */
    public static <T> RestResponse<T> created(String location, T body) {
        return RestResponse.ResponseBuilder.<T> created(URI.create(location)).entity(body).build();
    }
}
