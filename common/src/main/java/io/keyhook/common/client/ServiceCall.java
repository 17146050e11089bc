package io.keyhook.common.client;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.interceptor.InterceptorBinding;

/**
 * On a REST Client interface (with {@code @RegisterProvider(ServiceTokenFilter.class)}): its calls carry this service's
 * {@link ServiceToken}, and a call answered 401 is made once more with a new token ({@link ServiceCallInterceptor}).
 */
@InterceptorBinding
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface ServiceCall {
}
