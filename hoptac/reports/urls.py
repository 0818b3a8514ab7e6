from django.urls import path

from hoptac.reports import excel_views, views

app_name = "reports"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("htx/<id:cooperative_pk>/<year:year>/", views.report_for_year, name="report_for_year"),
    path("<id:pk>/", views.report_detail, name="report_detail"),
    path("<id:pk>/sua/", views.report_edit, name="report_edit"),
    path("<id:pk>/nop/", views.report_submit, name="report_submit"),
    path("<id:pk>/duyet/", views.report_approve, name="report_approve"),
    path("<id:pk>/tra-lai/", views.report_return, name="report_return"),
    path("<id:pk>/dieu-chinh/", views.report_correct, name="report_correct"),
    path("<id:pk>/mau-vii.xlsx", views.national_forms_xlsx, name="national_forms_xlsx"),
    path("<id:pk>/mau-vii.docx", views.national_forms_docx, name="national_forms_docx"),
    path("nhac-nho/<id:cooperative_pk>/<year:year>/", views.reminder_email, name="reminder_email"),
    path("nhac-nho/", views.reminder_email_late, name="reminder_email_late"),
    path(
        "thu-nhac/<id:cooperative_pk>/<year:year>/", views.reminder_letter, name="reminder_letter"
    ),
]
urlpatterns += excel_views.urlpatterns
