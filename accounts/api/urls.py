from django.urls import path

from . import views

urlpatterns = [
    path("auth/register", views.RegisterApi.as_view(), name="auth-register"),
    path("auth/token", views.TokenObtainApi.as_view(), name="auth-token"),
    path("auth/token/refresh", views.TokenRefreshApi.as_view(), name="auth-token-refresh"),
    path("auth/logout", views.LogoutApi.as_view(), name="auth-logout"),
    path("auth/login", views.SessionLoginApi.as_view(), name="auth-login"),
    path("auth/csrf", views.CsrfApi.as_view(), name="auth-csrf"),
    path("me", views.MeApi.as_view(), name="me"),
]
