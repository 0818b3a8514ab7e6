from django.urls import path

from hoptac.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<id:pk>/mo/", views.notification_open, name="open"),
    path("da-doc/", views.notification_mark_all_read, name="mark_all_read"),
    path("cai-dat/", views.preferences, name="preferences"),
]
