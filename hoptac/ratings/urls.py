from django.urls import path

from hoptac.ratings import views

app_name = "ratings"
urlpatterns = [
    path("", views.index, name="index"),
    path("khu-vuc/<int:area_pk>/<int:year>/", views.area_ratings, name="area"),
    path("khu-vuc/<int:area_pk>/<int:year>/de-xuat/", views.area_propose, name="area_propose"),
    path("khu-vuc/<int:area_pk>/<int:year>/cong-bo/", views.area_publish, name="area_publish"),
    path("khu-vuc/<int:area_pk>/<int:year>/tong-hop/", views.summary, name="summary"),
    path("<int:pk>/", views.rating_detail, name="rating_detail"),
    path("<int:pk>/cham-diem/", views.rating_scores, name="rating_scores"),
    path("<int:pk>/dieu-chinh/", views.rating_override, name="rating_override"),
    path("<int:pk>/duyet/", views.rating_approve, name="rating_approve"),
    path("<int:pk>/de-xuat-lai/", views.rating_repropose, name="rating_repropose"),
    path("htx/<int:cooperative_pk>/<int:year>/", views.rating_start, name="rating_start"),
]
