package io.keyhook.common.client;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import io.smallrye.mutiny.Uni;

/**
 * Makes sure a {@link ServiceToken} is held before a {@link ServiceCall} goes out, and makes a call answered 401 once
 * more with a new token. A 401 means the callee's authentication refused the token before any resource method ran, so
 * the call was not processed: making it again is safe for any method, a POST included. It runs inside Fault Tolerance
 * (a higher priority), so timeouts, retries and breakers see the call with its one renewal.
 */
@ServiceCall
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER + 20)
public class ServiceCallInterceptor {

    @Inject
    ServiceToken token;

    @AroundInvoke
    Object call(InvocationContext ctx) throws Exception {
        if (!Uni.class.isAssignableFrom(ctx.getMethod().getReturnType())) {
            return ctx.proceed();
        }
        return token.current()
                .chain(held -> proceed(ctx).onFailure(ServiceCallInterceptor::tokenRefused).recoverWithUni(e -> {
                    token.refused(held);
                    return token.current().chain(renewed -> proceed(ctx));
                }));
    }

    private static Uni<Object> proceed(InvocationContext ctx) {
        try {
            @SuppressWarnings("unchecked")
            Uni<Object> call = (Uni<Object>) ctx.proceed();
            return call;
        } catch (Exception e) {
            return Uni.createFrom().failure(e);
        }
    }

    /** The callee refused this service's token (see {@link ServiceResponseMapper}). */
    static boolean tokenRefused(Throwable e) {
        return e instanceof ServiceUnavailable u && u.status() == 401;
    }
}
