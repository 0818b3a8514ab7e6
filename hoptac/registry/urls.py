from django.urls import path

from hoptac.registry import excel_views, views

app_name = "registry"
urlpatterns = [
    path("", views.cooperative_list, name="cooperative_list"),
    path("them/", views.cooperative_create, name="cooperative_create"),
    path("<id:pk>/", views.cooperative_detail, name="cooperative_detail"),
    path("<id:pk>/sua/", views.cooperative_edit, name="cooperative_edit"),
    path("<id:pk>/trang-thai/", views.cooperative_status, name="cooperative_status"),
]
urlpatterns += excel_views.urlpatterns
