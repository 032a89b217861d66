from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse

from .publishing.notifications import NotificationPreference


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    """Each staff user edits their own notification settings, and only those: the list goes
    straight to the user's own row (made on first visit)."""

    fields = ["email_enabled"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (obj is None or obj.user == request.user)

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user=request.user)

    def changelist_view(self, request, extra_context=None):
        own, _created = NotificationPreference.objects.get_or_create(user=request.user)
        return HttpResponseRedirect(
            reverse("admin:wbportal_notificationpreference_change", args=[own.pk])
        )
