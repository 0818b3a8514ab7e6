from django.urls import path

from hoptac.accounts import area_views as views

app_name = "areas"
urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("picker/", views.picker, name="picker"),
    path("picker/search/", views.picker_search, name="picker_search"),
    path("<id:pk>/letterhead/", views.letterhead_edit, name="letterhead_edit"),
]
