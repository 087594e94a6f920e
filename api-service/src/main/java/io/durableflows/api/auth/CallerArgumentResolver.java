package io.durableflows.api.auth;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Authenticates any handler that declares a {@link Caller} parameter; no Caller parameter, no token needed. */
@Component
class CallerArgumentResolver implements HandlerMethodArgumentResolver {
  private final TokenService tokens;

  CallerArgumentResolver(TokenService tokens) {
    this.tokens = tokens;
  }

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == Caller.class;
  }

  @Override
  public Caller resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
      WebDataBinderFactory binderFactory) {
    return tokens.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
  }
}
