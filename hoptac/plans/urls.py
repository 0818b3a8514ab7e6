from django.urls import path

from hoptac.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("them/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/sua/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/xoa/", views.plan_delete, name="plan_delete"),
    path("<int:pk>/van-ban/", views.plan_document, name="plan_document"),
    path("<int:pk>/chi-tieu/them/", views.target_create, name="target_create"),
    path("chi-tieu/<int:pk>/sua/", views.target_edit, name="target_edit"),
    path("chi-tieu/<int:pk>/xoa/", views.target_delete, name="target_delete"),
]
