from django.urls import path

from hoptac.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("them/", views.plan_create, name="plan_create"),
    path("<id:pk>/", views.plan_detail, name="plan_detail"),
    path("<id:pk>/sua/", views.plan_edit, name="plan_edit"),
    path("<id:pk>/xoa/", views.plan_delete, name="plan_delete"),
    path("<id:pk>/van-ban/", views.plan_document, name="plan_document"),
    path("<id:pk>/chi-tieu/them/", views.target_create, name="target_create"),
    path("chi-tieu/<id:pk>/sua/", views.target_edit, name="target_edit"),
    path("chi-tieu/<id:pk>/xoa/", views.target_delete, name="target_delete"),
]
