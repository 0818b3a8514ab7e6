from django.urls import path

from hoptac.registry import excel_views, views

app_name = "registry"
urlpatterns = [
    path("", views.cooperative_list, name="cooperative_list"),
    path("tim-nhanh/", views.cooperative_quick_search, name="cooperative_quick_search"),
    path("them/", views.cooperative_create, name="cooperative_create"),
    path("<id:pk>/", views.cooperative_detail, name="cooperative_detail"),
    path("<id:pk>/sua/", views.cooperative_edit, name="cooperative_edit"),
    path("<id:pk>/trang-thai/", views.cooperative_status, name="cooperative_status"),
    path("<id:pk>/xoa/", views.cooperative_delete, name="cooperative_delete"),
    path("<id:pk>/thanh-vien/them/", views.member_create, name="member_create"),
    path("<id:cooperative_pk>/thanh-vien/<id:pk>/sua/", views.member_edit, name="member_edit"),
]
urlpatterns += excel_views.urlpatterns
