#pragma once

// The window driven as a user drives it, under QT_QPA_PLATFORM=offscreen: its processes
// (tst_mainwindow.cpp), its pipeline tabs (tst_mainwindow_pipelines.cpp), and its lessons and
// groups of forked children (tst_mainwindow_lessons.cpp).

#include <QObject>

class tst_MainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void launchFromTheCommandBar();
    void rowStatesThroughALife();
    void badLinesAreRefusedWithTheReason();
    void outputArrivesInTheRightPaneInOrder();
    void stdinLine();
    void pipelineLineMakesAGroup();
    void filterByName();
    void stopAllLeavesNoChild();
    void messagesOfAForkedChild();
    void launchOptionsApply();
    void historyIsRemembered();
    void timelineRecordsEveryKindOfEvent();
    void clickingTheTimelineShowsThatMomentsOutput();
    void signalMenuSendsTheChosenSignal();
    void batchJobsMakeAGroup();
    void aBatchShowsItsDashboard();
    void badBatchLinesSayWhy_data();
    void badBatchLinesSayWhy();
    void restartStopsAndRunsAgain();
    void floodStaysUnderTheScrollbackAndTheStatusShowsTheRate();

    // Pipelines as documents in tabs.
    void newEditSaveClose();
    void openingAFile();
    void fileDroppedOnTheWindowOpens();
    void runFromTheWindowShowsEachStage();
    void closingTheWindowAsksAboutUnsavedPipelines();
    void copyOnTheCanvasCopiesStages();
    void fitsALaptopScreen();
    void outputSaysWhoseItIs();
    void noShortcutIsAmbiguous();

    // Lessons, and many children at once.
    void theFirstRunOpensOnTheLesson();
    void aPipelineStepRunsInTheBuilder();
    void aForkStepShowsItsMessages();
    void aBrokenLessonSaysWhereAndKeepsTheOpenOne();
    void textScalesForAProjectorAndIsRemembered();
    void forkSeveralThenReachTheGroupAtOnce();
    void multipleSelectionActsOnEach();
};
